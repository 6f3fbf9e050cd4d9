import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../lib/api';

/** Loads data for a screen and reloads it on demand (after an action changed it). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [loading, setLoading] = useState(true);
  // Loads may overlap (a reload after an action while the first load is still out, or new deps): only the newest
  // one's answer is shown, so a slower, older answer never replaces fresher data.
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    try {
      const loaded = await load();
      if (mine !== latest.current) return;
      setData(loaded);
      setError(null);
    } catch (e) {
      if (mine !== latest.current) return;
      setError(e as Error);
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

/** Runs one user action at a time and keeps its outcome for the screen to show. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [done, setDone] = useState('');
  const run = async <T,>(action: () => Promise<T>, success = ''): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const r = await action();
      setDone(success);
      return r;
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e : new Error(String(e)));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run, setError };
}
