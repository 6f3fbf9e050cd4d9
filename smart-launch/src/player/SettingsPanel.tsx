import { useLayoutEffect, useState } from 'preact/hooks';
import { useT } from '../lib/i18n';
import { ChoiceTiles } from './ChoiceTiles';
import { DWELL_TIMES, SCAN_PACES, keyName, type PlayerSettings } from './settings';
import { setChoosingKey } from './use-scanning';

// Reading and input settings behind one disclosure button, remembered in this browser.

interface Props {
  settings: PlayerSettings;
  update(patch: Partial<PlayerSettings>): void;
}

/**
 * One setting: its choices are tiles, each a Tab stop chosen with Space or Enter (ChoiceTiles.tsx), and a switch-scanning
 * and dwell target — except the settings of the input method itself (`byHand`): a gaze resting on "Touch, mouse or
 * keyboard" while reading, or one stray switch press, would turn off the very mode the person uses, and they could not
 * turn it back on (the choice is remembered in this browser). Those are set by keyboard, touch or mouse, as before.
 */
function Choice<T extends string | number>(p: { legend: string; name: string; value: T; options: { value: T; label: string }[]; onPick(v: T): void; byHand?: boolean }) {
  const legendId = `setting-${p.name}`;
  return (
    <fieldset class="setting">
      <legend id={legendId}>{p.legend}</legend>
      <ChoiceTiles groupClass="segmented" tileClass="option setting-option" options={p.options} value={p.value} onPick={p.onPick} labelledBy={legendId} scan={p.byHand ? undefined : '9'} dwell={!p.byHand} />
    </fieldset>
  );
}

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'NumLock', 'Fn']);

const seconds = (ms: number) => `${(ms / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 })} s`;

export function SettingsPanel({ settings: s, update }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [listening, setListening] = useState(false);
  // The next key pressed anywhere names the switch: scanning goes on meanwhile and moves the focus off the button
  // within one step, so a key heard only on the button was lost (or pressed the highlighted target). A layout effect:
  // listening before a quick next key can arrive.
  // Listening ends with the prompt: when the panel closes or scanning is no longer the input method (the prompt is
  // gone), the next key was still taken, unseen, as the switch (a patient's press lost, a letter typed into an
  // answer missing, or the switch set to a key she does not have).
  const choosing = listening && open && s.input === 'scan';
  useLayoutEffect(() => {
    if (listening && !choosing) setListening(false);
  }, [listening, choosing]);
  useLayoutEffect(() => {
    if (!choosing) return;
    setChoosingKey(true);
    const chooseKey = (e: KeyboardEvent) => {
      if (e.repeat || MODIFIER_KEYS.has(e.key)) return; // Shift, Control…: a chord's first key, never a switch
      if (e.code === 'Tab' || e.code === 'Escape') return setListening(false);
      e.preventDefault();
      e.stopPropagation();
      update({ scanKey: e.code });
      setListening(false);
    };
    window.addEventListener('keydown', chooseKey, true);
    return () => {
      setChoosingKey(false);
      window.removeEventListener('keydown', chooseKey, true);
    };
  }, [choosing]);
  return (
    <div class="settings">
      <button type="button" class="secondary" aria-expanded={open} aria-controls="player-settings" onClick={() => setOpen(!open)} data-scan="9" data-dwell>
        {t('Display and input settings')}
      </button>
      <div id="player-settings" class="settings-panel" hidden={!open}>
        <Choice legend={t('Text size')} name="text-size" value={s.textSize} onPick={(textSize) => update({ textSize })}
          options={[{ value: 'normal', label: t('Normal') }, { value: 'large', label: t('Large') }, { value: 'x-large', label: t('Largest') }]} />
        <Choice legend={t('Contrast')} name="contrast" value={s.contrast} onPick={(contrast) => update({ contrast })}
          options={[{ value: 'normal', label: t('Standard') }, { value: 'high', label: t('High contrast') }]} />
        <Choice byHand legend={t('How to choose answers')} name="input-mode" value={s.input} onPick={(input) => update({ input })}
          options={[{ value: 'standard', label: t('Touch, mouse or keyboard') }, { value: 'scan', label: t('Switch scanning') }, { value: 'dwell', label: t('Dwell (eye gaze)') }]} />
        {s.input === 'scan' && (
          <>
            <Choice byHand legend={t('Scanning pace (time on each choice)')} name="scan-pace" value={s.scanMs} onPick={(scanMs) => update({ scanMs })}
              options={SCAN_PACES.map((v) => ({ value: v, label: seconds(v) }))} />
            <p class="setting">
              {t('Switch key:')} <strong>{s.scanKey === 'Space' ? t('Space bar or Enter') : keyName(s.scanKey)}</strong>{' '}
              {/* Not a scanning or dwell target, like the other settings of the input method: a switch user has no
                  other key to give it (a stray press there only spends their next press on naming the key again), and a
                  gaze user has no key at all. */}
              <button type="button" class="secondary small" onClick={() => setListening(true)} aria-live="polite">
                {t(listening ? 'Press the key to use now…' : 'Use another key')}
              </button>
            </p>
          </>
        )}
        {s.input === 'dwell' && (
          <Choice byHand legend={t('Dwell time (how long to look at a choice)')} name="dwell-time" value={s.dwellMs} onPick={(dwellMs) => update({ dwellMs })}
            options={DWELL_TIMES.map((v) => ({ value: v, label: seconds(v) }))} />
        )}
      </div>
    </div>
  );
}
