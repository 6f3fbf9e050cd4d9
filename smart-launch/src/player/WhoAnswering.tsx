import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../lib/i18n';
import { ANSWER_MODES, type AnswerMode } from './answer-mode';
import { ChoiceTiles } from './ChoiceTiles';

// Asked once per response, before the first question: reports separate self-report from proxy report,
// and the EHR is told who gave the answers and who entered them.

interface Props {
  subject: string;
  initial?: AnswerMode;
  /** The modes this user may record for this subject (the server enforces the same rules). */
  modes: readonly AnswerMode[];
  /** Scan and dwell modes go on as soon as a choice is made: every selection costs effort. */
  auto: boolean;
  onChoose(mode: AnswerMode): void;
}

export function WhoAnswering({ subject, initial, modes, auto, onChoose }: Props) {
  const [mode, setMode] = useState<AnswerMode | undefined>(initial);
  const [error, setError] = useState('');
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const pick = (code: AnswerMode) => {
    setMode(code);
    setError('');
    if (auto) window.setTimeout(() => onChoose(code), 400);
  };
  const go = () => (mode ? onChoose(mode) : setError(t('Please choose who is answering.')));
  return (
    <section class="question" aria-labelledby="who-heading">
      <fieldset class="question-fields" aria-describedby="who-error">
        <legend>
          <h2 id="who-heading" ref={heading} tabIndex={-1} class="question-text">
            {t('Who is answering the questions about {subject}?', { subject })}
          </h2>
        </legend>
        <ChoiceTiles
          groupClass="options"
          options={ANSWER_MODES.filter((m) => modes.includes(m.code)).map((m) => ({
            value: m.code,
            label: (
              <>
                {t(m.label)}
                <span class="option-hint">{t(m.hint)}</span>
              </>
            ),
          }))}
          value={mode}
          onPick={pick}
          labelledBy="who-heading"
          describedBy={error ? 'who-error' : undefined}
          invalid={!!error}
          required
          scan="1"
        />
        <p id="who-error" class="field-error" role="alert">
          {error}
        </p>
      </fieldset>
      <div class="player-nav">
        <button type="button" class="primary" onClick={go} data-scan="2" data-dwell>
          {t('Start')}
        </button>
      </div>
    </section>
  );
}
