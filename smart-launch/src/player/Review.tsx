import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../lib/i18n';
import { answerLabel, type Answers, type Question } from './model';

// Review before submit: every question shown with its answer (or "not answered"), each changeable, and
// Submit. Switch scanning starts at the first answer and passes every one before it reaches Submit, and
// Submit only asks for a confirmation (ConfirmSubmit): a press that was meant for the last question never
// sends answers the person has not seen. Problems the server found are listed first, each a link to its question.

interface Props {
  questions: Question[];
  answers: Answers;
  errors: Record<string, string>;
  general: string[];
  /** In scan and dwell modes the first target is focused by the mode itself. */
  focusHeading: boolean;
  onChange(index: number): void;
  onBack(): void;
  onSubmit(): void;
}

export function Review(p: Props) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (p.focusHeading) heading.current?.focus();
  }, []);
  const problems = p.questions.map((q, i) => ({ q, i, message: p.errors[q.linkId] })).filter((x) => x.message);
  return (
    <section class="review" aria-labelledby="review-heading">
      <h2 id="review-heading" ref={heading} tabIndex={-1}>
        {t('Check your answers')}
      </h2>
      {(problems.length > 0 || p.general.length > 0) && (
        <div class="error-summary" role="alert" aria-labelledby="review-problems">
          <h3 id="review-problems">{t('Some answers need attention')}</h3>
          <ul>
            {p.general.map((m) => (
              <li key={m}>{m}</li>
            ))}
            {problems.map((x) => (
              <li key={x.q.linkId}>
                <button type="button" class="link" onClick={() => p.onChange(x.i)}>
                  {t('Question {n}: {message}', { n: x.i + 1, message: x.message ?? '' })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="player-nav">
        <button type="button" class="primary" onClick={p.onSubmit} data-scan="2" data-dwell>
          {t('Submit answers')}
        </button>
        <button type="button" class="secondary" onClick={p.onBack} data-scan="2" data-dwell>
          {t('Back')}
        </button>
      </div>
      <ol class="review-list">
        {p.questions.map((q, i) => {
          const given = p.answers[q.linkId] ?? [];
          return (
            <li key={q.linkId} class={p.errors[q.linkId] ? 'has-error' : ''}>
              <p class="review-q">{q.item.text}</p>
              <p class="review-a">{given.length ? given.map((a) => (a.valueBoolean === undefined ? answerLabel(q, a) : t(a.valueBoolean ? 'Yes' : 'No'))).join(', ') : <em>{t('Not answered')}</em>}</p>
              <button type="button" class="secondary small" onClick={() => p.onChange(i)} data-scan="1" data-dwell aria-label={t('Change answer to question {n}', { n: i + 1 })}>
                {t('Change')}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
