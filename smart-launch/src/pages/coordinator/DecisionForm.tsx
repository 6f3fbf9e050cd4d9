import { useState } from 'preact/hooks';
import { label } from '../../lib/format';
import { referrals, type Referral } from '../../lib/programs';
import { Field, control, errorsOf } from '../../ui/Field';
import { ErrorBox } from '../../ui/Status';
import { useAction } from '../../ui/use-load';

/** Accept (reason optional) or decline (reason required) a screened referral. */
export function DecisionForm({ referral, onDone }: { referral: Referral; onDone(): void }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const errors = errorsOf(action.error);
  const id = `decide-${referral.id}`;
  const decide = async (accept: boolean) => {
    const r = await action.run(() => (accept ? referrals.accept(referral.id, reason || undefined) : referrals.decline(referral.id, reason)), accept ? 'Accepted.' : 'Declined.');
    if (r) onDone();
  };
  return (
    <form onSubmit={(e) => e.preventDefault()} aria-label="Decision" noValidate>
      <ErrorBox error={action.error} title="The decision was not saved" />
      <p>
        Screening: <strong>{label(referral.screening?.outcome)}</strong>
      </p>
      <Field id={`${id}-reason`} label="Reason (needed to decline)" error={errors.reason}>
        <input {...control(`${id}-reason`, errors.reason)} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      <div class="actions">
        <button type="button" class="primary" disabled={action.busy} onClick={() => decide(true)}>
          Accept
        </button>
        <button type="button" class="danger" disabled={action.busy} onClick={() => decide(false)}>
          Decline
        </button>
      </div>
    </form>
  );
}
