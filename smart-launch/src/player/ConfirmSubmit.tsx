import { useLayoutEffect, useRef } from 'preact/hooks';
import { useT } from '../lib/i18n';

// The second, distinct step of submitting: "Submit answers" only asks; the answers go once the person
// confirms here. "No" comes first, in the scanning cycle and on the screen, so a double press, a repeated
// switch or a gaze that lingers goes back to the answers and never sends them unreviewed.

interface Props {
  answered: number;
  total: number;
  submitting: boolean;
  /** In scan and dwell modes the first target is focused by the mode itself. */
  focusHeading: boolean;
  onBack(): void;
  onConfirm(): void;
}

export function ConfirmSubmit(p: Props) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  // Layout effect: focus lands before the next key press can, so a repeated Enter never reaches "Yes".
  useLayoutEffect(() => {
    if (p.focusHeading) heading.current?.focus();
  }, []);
  return (
    <section class="confirm" aria-labelledby="confirm-heading">
      <h2 id="confirm-heading" ref={heading} tabIndex={-1}>
        {t('Send your answers now?')}
      </h2>
      <p>
        {t('You answered {answered} of {total} questions. Once sent, your answers go to your care team and this form is complete.', { answered: p.answered, total: p.total })}
      </p>
      <div class="player-nav confirm-nav">
        <button type="button" class="secondary" onClick={p.onBack} data-scan="1" data-dwell>
          {t('No, check my answers again')}
        </button>
        <button type="button" class="primary" onClick={p.onConfirm} disabled={p.submitting} data-scan="2" data-dwell>
          {t(p.submitting ? 'Sending…' : 'Yes, send my answers')}
        </button>
      </div>
    </section>
  );
}
