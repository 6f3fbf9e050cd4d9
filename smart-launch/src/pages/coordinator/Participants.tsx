import { useState } from 'preact/hooks';
import { count, formatDate, label, today } from '../../lib/format';
import { enrolments as api, WITHDRAWAL_REASONS, type Enrolment } from '../../lib/programs';
import { href } from '../../lib/router';
import { Field, control, errorsOf } from '../../ui/Field';
import { ErrorBox } from '../../ui/Status';
import { useAction } from '../../ui/use-load';
import { PatientName } from './PatientName';
import { PersonName } from './PersonName';

/** The cohort's enrolments with attendance so far; a withdrawal takes a coded reason and a date. */
export function Participants({ enrolments, onChange }: { enrolments: Enrolment[]; onChange(): void }) {
  return (
    <section aria-labelledby="participants-heading">
      <h2 id="participants-heading">Participants</h2>
      {enrolments.length === 0 && <p>No one is enrolled yet.</p>}
      {enrolments.map((e) => (
        <article class="card" key={e.id} aria-labelledby={`enr-${e.id}`}>
          <h3 id={`enr-${e.id}`}>
            <a href={href(`patient/${e.patientId}`)}><PatientName id={e.patientId} /></a> <span class={`badge ${e.status}`}>{label(e.status)}</span>
          </h3>
          <p>
            Attended {count(e.participants.find((p) => p.role === 'patient')?.attendance.attended ?? 0, 'session')}
            {e.withdrawal ? ` · withdrawn ${formatDate(e.withdrawal.date)} (${e.withdrawal.display})` : ''}
          </p>
          {e.participants.some((p) => p.role === 'caregiver') && (
            <ul class="plain">
              {e.participants.filter((p) => p.role === 'caregiver').map((p) => (
                <li key={p.person}>
                  With <PersonName reference={p.person} detail />: attended {count(p.attendance.attended, 'session')}{p.active ? '' : ' (no longer taking part)'}
                </li>
              ))}
            </ul>
          )}
          {['enrolled', 'active'].includes(e.status) && <Withdraw enrolment={e} onDone={onChange} />}
        </article>
      ))}
    </section>
  );
}

function Withdraw({ enrolment, onDone }: { enrolment: Enrolment; onDone(): void }) {
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({ reason: 'fatigue', date: today(), note: '' });
  const action = useAction();
  const errors = errorsOf(action.error);
  const id = `wd-${enrolment.id}`;
  if (!open) return <button type="button" class="secondary small" onClick={() => setOpen(true)} aria-expanded="false">Withdraw…<span class="visually-hidden"> this participant</span></button>;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => api.withdraw(enrolment.id, { reason: f.reason, date: f.date, ...(f.note ? { note: f.note } : {}) }), 'Withdrawn.')) onDone();
  };
  return (
    <form onSubmit={submit} aria-label="Withdrawal" noValidate>
      <ErrorBox error={action.error} title="Not withdrawn" />
      <div class="form-grid">
        <Field id={`${id}-reason`} label="Reason" error={errors.reason}>
          <select {...control(`${id}-reason`, errors.reason)} value={f.reason} onChange={(e) => setF({ ...f, reason: e.currentTarget.value })}>
            {Object.entries(WITHDRAWAL_REASONS).map(([code, text]) => <option key={code} value={code}>{text}</option>)}
          </select>
        </Field>
        <Field id={`${id}-date`} label="Date" error={errors.date}>
          <input type="date" {...control(`${id}-date`, errors.date)} value={f.date} onInput={(e) => setF({ ...f, date: e.currentTarget.value })} />
        </Field>
        <Field id={`${id}-note`} label="Note (optional)" error={errors.note}>
          <input {...control(`${id}-note`, errors.note)} value={f.note} onInput={(e) => setF({ ...f, note: e.currentTarget.value })} />
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="danger" disabled={action.busy}>Confirm withdrawal</button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
