import type { QuestionnaireItemAnswerOption } from 'fhir/r4';
import { useT } from '../lib/i18n';
import { EXT } from '@engine/codes';
import { ChoiceTiles } from './ChoiceTiles';
import { numberBound, optionAnswer, optionLabel, sameAnswer, type Answer, type Question } from './model';

// One question's answer control. A single choice is a row of tiles (ChoiceTiles: each its own Tab stop, chosen
// with Space or Enter); several choices (the item repeats) are native checkboxes inside large labels. Either way
// the whole ≥ 64 px tile is the target.
// Small integer ranges (0–10) are shown as choices too, so switch and eye-gaze users can answer them.

interface Props {
  question: Question;
  value: Answer[];
  onChange(value: Answer[]): void;
  describedBy?: string;
  /** The question's heading: free-text fields are named by it. */
  labelledBy: string;
  invalid: boolean;
}

const MAX_SCALE = 11;

function scaleOptions(q: Question): QuestionnaireItemAnswerOption[] | undefined {
  if (q.item.type === 'boolean') return [{ valueString: 'Yes' }, { valueString: 'No' }];
  if (q.item.type !== 'integer') return undefined;
  const min = numberBound(q.item, EXT.minValue);
  const max = numberBound(q.item, EXT.maxValue);
  if (min === undefined || max === undefined || max - min + 1 > MAX_SCALE) return undefined;
  return Array.from({ length: max - min + 1 }, (_, i) => ({ valueInteger: min + i }));
}

function toAnswer(q: Question, o: QuestionnaireItemAnswerOption): Answer {
  if (q.item.type === 'boolean') return { valueBoolean: o.valueString === 'Yes' };
  return optionAnswer(o);
}

export function AnswerInput({ question: q, value, onChange, describedBy, labelledBy, invalid }: Props) {
  const t = useT();
  const options = q.item.answerOption ?? scaleOptions(q);
  const id = `answer-${q.linkId}`;
  if (options) {
    const multi = !!q.item.repeats && q.item.type !== 'boolean';
    const scale = q.item.type === 'integer';
    const labelOf = (o: QuestionnaireItemAnswerOption) => (q.item.type === 'boolean' ? t(o.valueString === 'Yes' ? 'Yes' : 'No') : optionLabel(o));
    if (!multi) {
      // One answer: tiles that are each a Tab stop, chosen with Space or Enter (ChoiceTiles.tsx says why).
      const chosen = options.findIndex((o) => value.some((v) => sameAnswer(v, toAnswer(q, o))));
      return (
        <ChoiceTiles
          groupClass={`options${scale ? ' scale' : ''}`}
          options={options.map((o, i) => ({ value: i, label: labelOf(o) }))}
          value={chosen < 0 ? undefined : chosen}
          onPick={(i) => onChange([toAnswer(q, options[i])])}
          labelledBy={labelledBy}
          describedBy={describedBy}
          invalid={invalid}
          required={!!q.item.required}
          scan="1"
        />
      );
    }
    return (
      <div class="options">
        {options.map((o, i) => {
          const answer = toAnswer(q, o);
          const checked = value.some((v) => sameAnswer(v, answer));
          const pick = () => onChange(checked ? value.filter((v) => !sameAnswer(v, answer)) : [...value, answer]);
          return (
            <label class={`option${checked ? ' checked' : ''}`} data-dwell key={i}>
              <input type="checkbox" name={id} checked={checked} onChange={pick} data-scan="1" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
              <span class="option-label">{labelOf(o)}</span>
            </label>
          );
        })}
      </div>
    );
  }
  const current = value[0];
  const set = (raw: string) => {
    if (raw.trim() === '') return onChange([]);
    if (q.item.type === 'integer') return onChange([{ valueInteger: Number(raw) }]);
    if (q.item.type === 'decimal') return onChange([{ valueDecimal: Number(raw.replace(',', '.')) }]);
    if (q.item.type === 'date') return onChange([{ valueDate: raw }]);
    onChange([{ valueString: raw }]);
  };
  const shown = current ? String(current.valueInteger ?? current.valueDecimal ?? current.valueString ?? current.valueDate ?? '') : '';
  const common = {
    id,
    class: 'answer-field',
    value: shown,
    'aria-labelledby': `${labelledBy} ${id}-label`,
    'aria-describedby': describedBy,
    'aria-invalid': invalid || undefined,
    'data-scan': '1',
  };
  return (
    <div class="free-answer">
      <label for={id} id={`${id}-label`}>
        {t('Your answer')}
      </label>
      {q.item.type === 'text' ? (
        <textarea {...common} rows={5} maxLength={q.item.maxLength} onInput={(e) => set(e.currentTarget.value)} />
      ) : q.item.type === 'date' ? (
        <input {...common} type="date" onInput={(e) => set(e.currentTarget.value)} />
      ) : (
        <input
          {...common}
          type="text"
          inputMode={q.item.type === 'integer' ? 'numeric' : q.item.type === 'decimal' ? 'decimal' : undefined}
          maxLength={q.item.maxLength}
          onInput={(e) => set(e.currentTarget.value)}
        />
      )}
    </div>
  );
}
