import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../lib/i18n';

// The draft was saved on another screen (or device) after this one read it: the server refuses every save and the
// submission from here (409 QUESTIONNAIRES.VERSION_CONFLICT / 412), so "the next step tries again" would be untrue.
// Said as it is, with two ways on, each a large button (keyboard, switch scanning — first in the cycle after any
// crisis information — and dwell):
// - "Keep my answers": the answers given here are saved onto the latest saved version (player/conflict.ts), so the
//   server runs its safety rules on them — a crisis answer given here is never lost to the conflict;
// - "Open the latest saved answers": when answers given here were not saved, only after a confirmation that says
//   they will be dropped (its safe choice, "No, go back", takes focus).

interface Props {
  /** Keyboard and screen-reader users land on the first button; scanning and dwell bring their highlight to it instead. */
  takeFocus: boolean;
  /**
   * Keyboard use (not scanning or dwell): even when the notice does not take focus (crisis information has it), focus
   * that was on a button the notice just replaced moves to its new first button, never left on the page's body.
   */
  mayFocus: boolean;
  /** Asking whether to drop the unsaved answers and open the latest (after "Open the latest" with unsaved answers). */
  confirming: boolean;
  /** Why keeping the answers failed (already in the person's words), if it did. */
  problem?: string;
  onKeep(): void;
  onOpenLatest(): void;
  onConfirmOpen(): void;
  onCancelOpen(): void;
}

export function SavedElsewhere(p: Props) {
  const t = useT();
  const first = useRef<HTMLButtonElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // Focus follows the notice's stage: its first button when it appears or when the confirmation opens; back on
  // "Open the latest saved answers" when the person goes back from the confirmation.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body || !!box.current?.contains(active);
    if (!p.takeFocus && !(p.mayFocus && lost && asked.current !== p.confirming)) {
      asked.current = p.confirming;
      return;
    }
    if (p.confirming) first.current?.focus();
    else (asked.current ? openButton : first).current?.focus();
    asked.current = p.confirming;
  }, [p.confirming]);
  return (
    <div class="saved-elsewhere" role="alert" aria-labelledby="saved-elsewhere-title" ref={box}>
      <p class="saved-elsewhere-title" id="saved-elsewhere-title">
        {t('These answers were changed on another screen')}
      </p>
      {p.confirming ? (
        <>
          <p>{t('Open the latest saved answers and drop the answers given on this screen that were not saved?')}</p>
          <div class="saved-elsewhere-choices">
            <button key="go-back" type="button" class="primary" ref={first} onClick={p.onCancelOpen} data-scan="0" data-dwell>
              {t('No, go back')}
            </button>
            <button key="drop" type="button" class="secondary" onClick={p.onConfirmOpen} data-scan="0" data-dwell>
              {t('Yes, drop my answers and open the latest')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p>{t('Keep my answers saves the answers given on this screen onto the latest saved ones. Or open the latest saved answers and go on from there.')}</p>
          {p.problem && <p class="saved-elsewhere-problem">{p.problem}</p>}
          <div class="saved-elsewhere-choices">
            <button key="keep" type="button" class="primary" ref={first} onClick={p.onKeep} data-scan="0" data-dwell>
              {t('Keep my answers')}
            </button>
            <button key="open" type="button" class="secondary" ref={openButton} onClick={p.onOpenLatest} data-scan="0" data-dwell>
              {t('Open the latest saved answers')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
