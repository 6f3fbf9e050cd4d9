import { useLayoutEffect, useRef } from 'preact/hooks';
import { useT } from '../lib/i18n';
import { AnswerInput } from './AnswerInput';
import type { Answer, Question } from './model';

// One question per screen: progress, the instructions it belongs to, the question, its answers, its error,
// and the navigation. Focus goes to the question when the screen appears, so a screen reader reads it
// and keyboard users start at the top.

interface Props {
  question: Question;
  number: number;
  total: number;
  value: Answer[];
  error?: string;
  onChange(value: Answer[]): void;
  onBack?(): void;
  onNext(): void;
  onSaveLater(): void;
  nextLabel: string;
  /** In scan and dwell modes the first target is focused by the mode itself. */
  focusHeading: boolean;
}

export function QuestionStep(p: Props) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const q = p.question;
  // Layout effect: focus lands before the next key press can, so no keystroke goes to the old screen.
  useLayoutEffect(() => {
    if (p.focusHeading) heading.current?.focus();
  }, [q.linkId]);
  const headingId = `q-${q.linkId}`;
  const errorId = `q-${q.linkId}-error`;
  const hintId = `q-${q.linkId}-hint`;
  const required = !!q.item.required;
  return (
    <section class="question" aria-labelledby={headingId}>
      <div class="progress-line">
        <span id="player-progress-text">
          {t('Question {n} of {total}', { n: p.number, total: p.total })}
        </span>
        <progress max={p.total} value={p.number - 1} aria-labelledby="player-progress-text" />
      </div>
      {q.section && <p class="section-title">{q.section}</p>}
      {q.preamble && <p class="preamble">{q.preamble}</p>}
      <fieldset class="question-fields" aria-describedby={[hintId, p.error ? errorId : ''].filter(Boolean).join(' ')}>
        <legend>
          <h2 id={headingId} ref={heading} tabIndex={-1} class="question-text">
            {q.item.text ?? q.linkId}
          </h2>
        </legend>
        <p id={hintId} class="hint">
          {t(required ? 'An answer is needed.' : 'You may leave this one out.')}
        </p>
        <AnswerInput question={q} value={p.value} onChange={p.onChange} labelledBy={headingId} describedBy={p.error ? errorId : undefined} invalid={!!p.error} />
        <p id={errorId} class="field-error" role="alert">
          {p.error ?? ''}
        </p>
      </fieldset>
      <div class="player-nav">
        {p.onBack && (
          <button type="button" class="secondary" onClick={p.onBack} data-scan="2" data-dwell>
            {t('Back')}
          </button>
        )}
        <button type="button" class="primary" onClick={p.onNext} data-scan="2" data-dwell>
          {p.nextLabel}
        </button>
        <button type="button" class="secondary" onClick={p.onSaveLater} data-scan="3" data-dwell>
          {t('Save and finish later')}
        </button>
      </div>
    </section>
  );
}
