import { useState } from 'preact/hooks';
import { DWELL_TIMES, SCAN_PACES, keyName, type PlayerSettings } from './settings';

// Reading and input settings behind one disclosure button, remembered in this browser.

interface Props {
  settings: PlayerSettings;
  update(patch: Partial<PlayerSettings>): void;
}

function Choice<T extends string | number>(p: { legend: string; name: string; value: T; options: { value: T; label: string }[]; onPick(v: T): void }) {
  return (
    <fieldset class="setting">
      <legend>{p.legend}</legend>
      <div class="segmented">
        {p.options.map((o) => (
          <label key={String(o.value)} class={o.value === p.value ? 'checked' : ''}>
            <input type="radio" name={p.name} checked={o.value === p.value} onChange={() => p.onPick(o.value)} />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

const seconds = (ms: number) => `${(ms / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 })} s`;

export function SettingsPanel({ settings: s, update }: Props) {
  const [open, setOpen] = useState(false);
  const [listening, setListening] = useState(false);
  const chooseKey = (e: KeyboardEvent) => {
    if (e.code === 'Tab' || e.code === 'Escape') return setListening(false);
    e.preventDefault();
    update({ scanKey: e.code });
    setListening(false);
  };
  return (
    <div class="settings">
      <button type="button" class="secondary" aria-expanded={open} aria-controls="player-settings" onClick={() => setOpen(!open)} data-scan="9" data-dwell>
        Display and input settings
      </button>
      <div id="player-settings" class="settings-panel" hidden={!open}>
        <Choice legend="Text size" name="text-size" value={s.textSize} onPick={(textSize) => update({ textSize })}
          options={[{ value: 'normal', label: 'Normal' }, { value: 'large', label: 'Large' }, { value: 'x-large', label: 'Largest' }]} />
        <Choice legend="Contrast" name="contrast" value={s.contrast} onPick={(contrast) => update({ contrast })}
          options={[{ value: 'normal', label: 'Standard' }, { value: 'high', label: 'High contrast' }]} />
        <Choice legend="How to choose answers" name="input-mode" value={s.input} onPick={(input) => update({ input })}
          options={[{ value: 'standard', label: 'Touch, mouse or keyboard' }, { value: 'scan', label: 'Switch scanning' }, { value: 'dwell', label: 'Dwell (eye gaze)' }]} />
        {s.input === 'scan' && (
          <>
            <Choice legend="Scanning pace (time on each choice)" name="scan-pace" value={s.scanMs} onPick={(scanMs) => update({ scanMs })}
              options={SCAN_PACES.map((v) => ({ value: v, label: seconds(v) }))} />
            <p class="setting">
              Switch key: <strong>{s.scanKey === 'Space' ? 'Space bar or Enter' : keyName(s.scanKey)}</strong>{' '}
              <button type="button" class="secondary small" onClick={() => setListening(true)} onKeyDown={listening ? chooseKey : undefined} aria-live="polite">
                {listening ? 'Press the key to use now…' : 'Use another key'}
              </button>
            </p>
          </>
        )}
        {s.input === 'dwell' && (
          <Choice legend="Dwell time (how long to look at a choice)" name="dwell-time" value={s.dwellMs} onPick={(dwellMs) => update({ dwellMs })}
            options={DWELL_TIMES.map((v) => ({ value: v, label: seconds(v) }))} />
        )}
      </div>
    </div>
  );
}
