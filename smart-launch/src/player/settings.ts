import { useEffect, useState } from 'preact/hooks';

// Reading and input settings, kept in this browser (localStorage) so a person sets them once.
// Nothing here is health data.

export type InputMode = 'standard' | 'scan' | 'dwell';
export interface PlayerSettings {
  textSize: 'normal' | 'large' | 'x-large';
  contrast: 'normal' | 'high';
  input: InputMode;
  /** Single-switch scanning: how long the highlight rests on each target. */
  scanMs: number;
  /** Dwell: how long the pointer (eye gaze) rests on a target before it is chosen. */
  dwellMs: number;
  /** KeyboardEvent.code of the switch; Space and Enter both work unless another key is chosen. */
  scanKey: string;
}

export const DEFAULTS: PlayerSettings = { textSize: 'normal', contrast: 'normal', input: 'standard', scanMs: 2000, dwellMs: 1500, scanKey: 'Space' };
export const SCAN_PACES = [1000, 1500, 2000, 3000, 4000, 6000];
export const DWELL_TIMES = [500, 800, 1000, 1500, 2000, 3000];
const KEY = 'als-wellness.player-settings';

export function loadSettings(): PlayerSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<PlayerSettings>;
    return { ...DEFAULTS, ...saved };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(s: PlayerSettings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // Storage may be blocked inside an EHR iframe; the settings still apply for this visit.
  }
}

/** Text size and contrast apply to the whole page, so the app's header and banner grow too. */
export function applyDisplay(s: Pick<PlayerSettings, 'textSize' | 'contrast'>): void {
  const root = document.documentElement;
  root.dataset.textSize = s.textSize;
  root.dataset.contrast = s.contrast;
}

export function useSettings(): [PlayerSettings, (patch: Partial<PlayerSettings>) => void] {
  const [settings, set] = useState(loadSettings);
  useEffect(() => applyDisplay(settings), [settings.textSize, settings.contrast]);
  const update = (patch: Partial<PlayerSettings>) =>
    set((prev) => {
      const next = { ...prev, ...patch };
      saveSettings(next);
      return next;
    });
  return [settings, update];
}

export function keyName(code: string): string {
  if (code === 'Space') return 'Space bar';
  return code.replace(/^Key/, '').replace(/^Digit/, '');
}
