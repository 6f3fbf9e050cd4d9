import { useEffect, useRef } from 'preact/hooks';
import { SafetyMessage, type CrisisText } from '../../player/SafetyMessage';
import { useSavedSettings } from '../../player/use-page-assist';

/**
 * Crisis information on a page that replaces the player (sent, saved for later, closed meanwhile): it takes the focus
 * of a keyboard or screen-reader user; closed, it takes its focused button with it, so focus goes to the heading.
 */
export function LastPageSafety(p: { message?: CrisisText | null; onDismiss?(): void }) {
  const settings = useSavedSettings();
  const closed = useRef(false);
  useEffect(() => {
    if (!closed.current || p.message) return;
    closed.current = false;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (settings.input === 'standard' && lost) document.querySelector<HTMLElement>('#main h1')?.focus();
  }, [p.message]);
  if (!p.message) return null;
  const dismiss = () => {
    closed.current = true;
    p.onDismiss?.();
  };
  return <SafetyMessage message={p.message} takeFocus={settings.input === 'standard'} onDismiss={dismiss} />;
}
