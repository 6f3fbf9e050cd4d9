import { useMemo, useState } from 'preact/hooks';
import { loadSettings, type PlayerSettings } from './settings';
import { useDwell } from './use-dwell';
import { useScanning } from './use-scanning';

/**
 * Switch scanning and dwell for a whole page (the player, the patient's list of forms, the thank-you page): every
 * [data-scan] / [data-dwell] target on the page, the header's "Sign out" included, so a person who answers with one
 * switch or with eye gaze also starts, finishes and leaves on their own.
 * `ready` holds scanning back while the screen is still loading (a press then would land on "Sign out").
 */
export function usePageAssist(settings: PlayerSettings, ready: boolean, screenKey: unknown): void {
  const root = useMemo(() => ({ current: document.body }), []);
  useScanning(root, ready && settings.input === 'scan', settings.scanMs, settings.scanKey, screenKey);
  useDwell(root, ready && settings.input === 'dwell', settings.dwellMs, screenKey);
}

/** The person's input settings as this browser remembers them (read once per screen). */
export function useSavedSettings(): PlayerSettings {
  const [settings] = useState(loadSettings);
  return settings;
}
