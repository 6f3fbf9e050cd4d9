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
  // "An answer is needed." says what to do before answering; once the question is answered it would read like an
  // error, so it is hidden (the engine's check, below, still speaks if Next finds no answer) — but keeps its place: the
  // answers below it must not move up under an eye-gaze or a pointer that has just chosen one (a dwell would land on
  // the next tile and choose it too).
  const answered = required && p.value.length > 0;
  const hint = required ? t('An answer is needed.') : t('You may leave this one out.');
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
      <fieldset class="question-fields" aria-describedby={[answered ? '' : hintId, p.error ? errorId : ''].filter(Boolean).join(' ') || undefined}>
        <legend>
          <h2 id={headingId} ref={heading} tabIndex={-1} class="question-text">
            {q.item.text ?? q.linkId}
          </h2>
        </legend>
        <p id={hintId} class={answered ? 'hint answered' : 'hint'} aria-hidden={answered || undefined}>
          {hint}
        </p>
        <AnswerInput question={q} value={p.value} onChange={p.onChange} labelledBy={headingId} describedBy={p.error ? errorId : undefined} invalid={!!p.error} />
        <p id={errorId} class="field-error" role="alert">
          {p.error ?? ''}
        </p>
      </fieldset>
      {/* Next first, in the DOM, on screen and in the Tab order: "answer, Tab, Enter" goes on, never back. */}
      <div class="player-nav">
        <button type="button" class="primary" onClick={p.onNext} data-scan="2" data-dwell>
          {p.nextLabel}
        </button>
        {p.onBack && (
          <button type="button" class="secondary" onClick={p.onBack} data-scan="2" data-dwell>
            {t('Back')}
          </button>
        )}
        <button type="button" class="secondary" onClick={p.onSaveLater} data-scan="3" data-dwell>
          {t('Save and finish later')}
        </button>
      </div>
    </section>
  );
}
