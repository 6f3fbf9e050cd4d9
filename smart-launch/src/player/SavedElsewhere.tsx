import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../lib/i18n';

// The draft was saved on another screen (or device) after this one read it: the server refuses every save and the
// submission from here (409 QUESTIONNAIRES.VERSION_CONFLICT / 412), so "the next step tries again" would be untrue.
// Said as it is, with the one way on: a large button that opens the latest saved answers (keyboard, switch scanning
// — first in the cycle after any crisis information — and dwell).

interface Props {
  /** Keyboard and screen-reader users land on the button; scanning and dwell bring their highlight to it instead. */
  takeFocus: boolean;
  onOpenLatest(): void;
}

export function SavedElsewhere({ takeFocus, onOpenLatest }: Props) {
  const t = useT();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (takeFocus) button.current?.focus();
  }, []);
  return (
    <div class="saved-elsewhere" role="alert" aria-labelledby="saved-elsewhere-title">
      <p class="saved-elsewhere-title" id="saved-elsewhere-title">
        {t('These answers were changed on another screen')}
      </p>
      <p>{t('Open the latest saved answers to see them and go on from there; an answer given here since then may need giving again.')}</p>
      <button type="button" class="primary" ref={button} onClick={onOpenLatest} data-scan="0" data-dwell>
        {t('Open the latest saved answers')}
      </button>
    </div>
  );
}
