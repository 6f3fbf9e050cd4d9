import { useState } from 'preact/hooks';
import { ApiError } from '../../lib/api';
import { PRIORITIES, priorityLabel, referrals, type Program } from '../../lib/programs';
import { Field, control, errorsOf } from '../../ui/Field';
import { ErrorBox, Notice } from '../../ui/Status';
import { useAction } from '../../ui/use-load';

/** Refer the patient to a program: becomes a ServiceRequest and a referral Task in the EHR. */
export function ReferForm({ patientId, programs, onDone }: { patientId: string; programs: Program[]; onDone(): void }) {
  const [program, setProgram] = useState(programs[0]?.slug ?? '');
  const [priority, setPriority] = useState<string>('routine');
  const [reason, setReason] = useState('');
  const action = useAction();
  const errors = errorsOf(action.error);
  const submit = async (e: Event) => {
    e.preventDefault();
    let alreadyOpen = false;
    const done = await action.run(
      () =>
        referrals.create({ patientId, program, priority, reason }).catch((e: unknown) => {
          alreadyOpen = e instanceof ApiError && e.status === 409;
          throw e;
        }),
      'Referral sent.',
    );
    if (done) setReason('');
    // Sent, or refused because the patient already has an open referral: either way the panel shows it now.
    if (done || alreadyOpen) onDone();
  };
  const alreadyReferred = action.error instanceof ApiError && action.error.status === 409;
  return (
    <form class="card" onSubmit={submit} aria-labelledby="refer-heading" noValidate>
      <h3 id="refer-heading">Refer to a program</h3>
      {alreadyReferred ? (
        <div class="error-summary" role="alert">
          <p class="error-title">Already referred</p>
          <p>
            This patient already has an open referral to {programs.find((p) => p.slug === program)?.current.title ?? 'this program'}, shown above. Continue with
            it instead of referring again.
          </p>
        </div>
      ) : (
        <ErrorBox error={action.error} title="The referral was not sent" />
      )}
      <div class="form-grid">
        <Field id="refer-program" label="Program" error={errors.program}>
          <select {...control('refer-program', errors.program)} value={program} onChange={(e) => setProgram(e.currentTarget.value)}>
            {programs.map((p) => (
              <option key={p.id} value={p.slug}>
                {p.current.title}
              </option>
            ))}
          </select>
        </Field>
        <Field id="refer-priority" label="Priority" error={errors.priority}>
          <select {...control('refer-priority', errors.priority)} value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {priorityLabel(p)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id="refer-reason" label="Reason for referral" error={errors.reason} hint="What the program should help with; visible to the care team.">
        <textarea {...control('refer-reason', errors.reason, 'refer-reason-hint')} rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Refer
        </button>
        <Notice>{action.done}</Notice>
      </div>
    </form>
  );
}
