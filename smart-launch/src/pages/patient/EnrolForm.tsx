import { useState } from 'preact/hooks';
import { cohorts, enrolments, type Referral } from '../../lib/programs';
import { useApp } from '../../lib/context';
import { count, formatDate } from '../../lib/format';
import { href } from '../../lib/router';
import { Field, control, errorsOf } from '../../ui/Field';
import { ErrorBox, Loading } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';
import { PractitionerPicker } from '../coordinator/PractitionerPicker';

/** Enrol an accepted referral: a cohort for group courses, a therapist for individual sessions. */
export function EnrolForm({ referral, onDone }: { referral: Referral; onDone(): void }) {
  const individual = referral.program.kind === 'individual';
  const list = useLoad(() => (individual ? Promise.resolve([]) : cohorts.list(referral.program.slug)), [referral.id]);
  const [cohortId, setCohortId] = useState('');
  const [facilitator, setFacilitator] = useState('');
  const action = useAction();
  const errors = errorsOf(action.error);
  const open = (list.data ?? []).filter((c) => c.seatsLeft > 0);
  const chosen = cohortId || open[0]?.id || '';
  const id = `enrol-${referral.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = individual ? { referralId: referral.id, facilitator } : { referralId: referral.id, cohortId: chosen };
    if (await action.run(() => enrolments.create(body), 'Enrolled.')) onDone();
  };
  if (list.loading) return <Loading what="cohorts" />;
  return (
    <form onSubmit={submit} aria-label={`Enrol in ${referral.program.title}`} noValidate>
      <ErrorBox error={action.error ?? list.error} title="Not enrolled" />
      {individual ? (
        <PractitionerPicker id={`${id}-facilitator`} label="Therapist" value={facilitator} error={errors.facilitator} onChange={setFacilitator} />
      ) : list.error ? null : open.length === 0 ? (
        <NoSeat cohorts={list.data?.length ?? 0} />
      ) : (
        <Field id={`${id}-cohort`} label="Cohort" error={errors.cohortId}>
          <select {...control(`${id}-cohort`, errors.cohortId)} value={chosen} onChange={(e) => setCohortId(e.currentTarget.value)}>
            {open.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} — starts {formatDate(c.startDate)}, {count(c.seatsLeft, 'seat')} left
              </option>
            ))}
          </select>
        </Field>
      )}
      <button type="submit" class="primary" disabled={action.busy || (!individual && !chosen)}>
        Enrol
      </button>
    </form>
  );
}

/**
 * Why no cohort can be chosen — none exists yet, or every one is full — and how to open one: a coordinator under
 * Cohorts and sessions (not offered while the EHR has one patient open, where that screen is not shown).
 */
function NoSeat({ cohorts: n }: { cohorts: number }) {
  const ctx = useApp();
  const why = n === 0 ? 'This program has no cohort yet.' : `Every cohort of this program is full (${count(n, 'cohort')}).`;
  if (ctx.user.role === 'coordinator' && !ctx.patient) {
    return (
      <p>
        {why} Open one under <a href={href('cohorts')}>Cohorts and sessions</a> (New cohort), then enrol here.
      </p>
    );
  }
  return <p>{why} A care coordinator can open one under Cohorts and sessions; then the patient can be enrolled.</p>;
}
