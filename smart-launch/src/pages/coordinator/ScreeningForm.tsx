import { useState } from 'preact/hooks';
import { today } from '../../lib/format';
import { referrals, type ChecklistItem, type Referral } from '../../lib/programs';
import { Field, control, errorsOf } from '../../ui/Field';
import { ErrorBox } from '../../ui/Status';
import { useAction } from '../../ui/use-load';

/** Screening against the program's eligibility checklist, with consent recorded. */
export function ScreeningForm({ referral, checklist, onDone }: { referral: Referral; checklist: ChecklistItem[]; onDone(): void }) {
  const [answers, setAnswers] = useState<Record<string, boolean>>(() => Object.fromEntries(checklist.map((c) => [c.id, false])));
  const [consent, setConsent] = useState(false);
  const [date, setDate] = useState(today());
  const [method, setMethod] = useState('verbal');
  const action = useAction();
  const errors = errorsOf(action.error);
  const id = `screen-${referral.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => referrals.screen(referral.id, { answers, consent: { given: consent, date, method } }), 'Screening saved.')) onDone();
  };
  return (
    <form onSubmit={submit} aria-label="Screening" noValidate>
      <ErrorBox error={action.error} title="Screening was not saved" />
      <fieldset>
        <legend>Eligibility checklist</legend>
        {checklist.map((c) => (
          <label class="check" key={c.id}>
            <input type="checkbox" checked={answers[c.id]} onChange={(e) => setAnswers({ ...answers, [c.id]: e.currentTarget.checked })} />
            {c.text}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Consent</legend>
        <label class="check">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
          The participant gave consent
        </label>
        <div class="form-grid">
          <Field id={`${id}-date`} label="Consent date" error={errors['consent.date']}>
            <input type="date" {...control(`${id}-date`, errors['consent.date'])} value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </Field>
          <Field id={`${id}-method`} label="How consent was given" error={errors['consent.method']}>
            <select {...control(`${id}-method`, errors['consent.method'])} value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
              <option value="verbal">Verbal</option>
              <option value="written">Written</option>
              <option value="electronic">Electronic</option>
            </select>
          </Field>
        </div>
      </fieldset>
      <button type="submit" class="primary" disabled={action.busy}>
        Save screening
      </button>
    </form>
  );
}
