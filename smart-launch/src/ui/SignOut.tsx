import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { T } from '../lib/i18n';
import { SCAN_RESTART } from '../player/use-scanning';

/**
 * "Sign out" on a patient's or caregiver's screens and around the player: one stray press of a switch or a key must
 * not end the session, so it asks first, in a modal dialog, and says that the answers already saved are kept. The
 * focus (and the scanning highlight, which steps through the dialog's buttons only while it is open) starts on
 * "Stay", first in the dialog; Escape also stays. A switch user needs two deliberate presses on two different targets
 * to leave. Tab wraps inside the dialog (in an EHR's iframe a native modal dialog lets Tab leave it, into the EHR's
 * page), and when the dialog closes the focus, and the scanning highlight, go back to "Sign out", however it was
 * opened (a dwell gives it no focus, so the browser's own return would leave it wherever it was).
 */
export function SignOut({ t, onSignOut }: { t: T; onSignOut(): void }) {
  const [asking, setAsking] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const stay = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const shown = useRef(false);
  // A layout effect: the dialog, its focus and the scanning highlight move in the same commit, before a next press.
  useLayoutEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (asking && !d.open) {
      d.showModal();
      stay.current?.focus();
    } else if (!asking && d.open) d.close();
    if (asking === shown.current) return;
    shown.current = asking;
    // Closed (by "Stay", or by Escape, whose close event set asking): back to "Sign out", where scanning resumes.
    if (!asking) opener.current?.focus();
    window.dispatchEvent(new CustomEvent(SCAN_RESTART, { detail: asking ? null : opener.current }));
  }, [asking]);
  const wrapTab = (e: KeyboardEvent) => {
    const d = dialog.current;
    if (e.key !== 'Tab' || !d) return;
    const targets = [...d.querySelectorAll<HTMLButtonElement>('button:not([disabled])')];
    const first = targets[0];
    const last = targets[targets.length - 1];
    if (!first || !last) return;
    // From the first or last button round to the other end; from anywhere else in the dialog (its text clicked, the
    // dialog itself focused) to the end Tab or Shift+Tab would reach first, never out of it.
    const inside = targets.includes(document.activeElement as HTMLButtonElement);
    const to = !inside ? (e.shiftKey ? last : first) : e.shiftKey ? (document.activeElement === first ? last : null) : document.activeElement === last ? first : null;
    if (!to) return;
    e.preventDefault();
    to.focus();
  };
  // Escape is ours to handle: the browser's own close arrives as a queued event, and a press of "Sign out" in between
  // found `asking` still true and was lost (the dialog did not reopen). Prevented, it closes through `asking` like
  // "Stay". (Chrome may close anyway on a second Escape; the close event below covers that.)
  const cancel = (e: Event) => {
    e.preventDefault();
    setAsking(false);
  };
  // A press while a close is still on its way (asking, the dialog shut): open it again at once.
  const ask = () => {
    const d = dialog.current;
    if (asking && d && !d.open) {
      d.showModal();
      stay.current?.focus();
      window.dispatchEvent(new CustomEvent(SCAN_RESTART, { detail: null })); // the highlight to the dialog's buttons
    } else setAsking(true);
  };
  const leave = () => {
    if (leaving) return;
    setLeaving(true);
    onSignOut();
  };
  return (
    <>
      <button type="button" class="secondary small" ref={opener} onClick={ask} data-scan="9" data-dwell>
        {t('Sign out')}
      </button>
      {/* Closed by Escape or "Stay" alike (the dialog's close event). The event is queued: after "Stay", a quick press
          of Sign out can reopen the dialog before it arrives, and a stale close must not shut the new question. */}
      <dialog ref={dialog} class="confirm-dialog" aria-labelledby="sign-out-heading" aria-describedby="sign-out-text" onClose={() => !dialog.current?.open && setAsking(false)} onCancel={cancel} onKeyDown={wrapTab}>
        <h2 id="sign-out-heading">{t('Sign out now?')}</h2>
        <p id="sign-out-text">{t('Answers you have already saved are kept. You can sign in again and go on where you stopped.')}</p>
        <div class="player-nav">
          <button type="button" class="primary" ref={stay} onClick={() => setAsking(false)} data-scan="1" data-dwell>
            {t('Stay')}
          </button>
          <button type="button" class="secondary" onClick={leave} disabled={leaving} data-scan="2" data-dwell>
            {t('Yes, sign out')}
          </button>
        </div>
      </dialog>
    </>
  );
}
