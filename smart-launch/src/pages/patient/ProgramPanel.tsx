import { useApp } from '../../lib/context';
import { formatDate, label, today } from '../../lib/format';
import { enrolments, priorityLabel, programs, referrals, type Enrolment, type Referral } from '../../lib/programs';
import { ErrorBox, Loading } from '../../ui/Status';
import { PersonName } from '../coordinator/PersonName';
import { useLoad } from '../../ui/use-load';
import { EnrolForm } from './EnrolForm';
import { ReferForm } from './ReferForm';

/** Where the patient stands in the wellness programs: referrals, enrolments, attendance; refer and enrol. */
export function ProgramPanel({ patientId, onChange }: { patientId: string; onChange(): void }) {
  const ctx = useApp();
  const { data, error, loading, reload } = useLoad(
    () => Promise.all([referrals.list({ patientId }), enrolments.list({ patientId }), programs.list()]),
    [patientId],
  );
  const changed = () => {
    void reload();
    onChange();
  };
  if (loading && !data) return <Loading what="program status" />;
  if (error || !data) return <ErrorBox error={error} title="Program status could not be loaded" />;
  const [refs, enrols, progs] = data;
  // Referrals still on their way; once enrolled, the enrolment card tells the story.
  const open = refs.filter((r) => !r.enrolmentId && ['referred', 'screened', 'accepted'].includes(r.status));
  return (
    <section aria-labelledby="program-heading">
      <h2 id="program-heading">Program status</h2>
      {enrols.length === 0 && open.length === 0 && <p>Not referred to a wellness program yet.</p>}
      {enrols.map((e) => (
        <EnrolmentCard key={e.id} e={e} />
      ))}
      {open.map((r) => (
        <ReferralCard key={r.id} r={r} canEnrol={r.status === 'accepted'} onDone={changed} />
      ))}
      {['clinician', 'coordinator'].includes(ctx.user.role) && progs.length > 0 && <ReferForm patientId={patientId} programs={progs} onDone={changed} />}
    </section>
  );
}

function ReferralCard({ r, canEnrol, onDone }: { r: Referral; canEnrol: boolean; onDone(): void }) {
  return (
    <article class="card" aria-label={`Referral to ${r.program.title}`}>
      <h3>{r.program.title}</h3>
      <p>
        Referral <span class={`badge ${r.status}`}>{label(r.status)}</span> · {priorityLabel(r.priority)} · {formatDate(r.createdAt)} by{' '}
        <PersonName reference={r.requester} />
      </p>
      <p>{r.reason}</p>
      {r.status === 'referred' && <p>Waiting for the care coordinator to screen it.</p>}
      {r.status === 'screened' && <p>Screened ({label(r.screening?.outcome).toLowerCase()}); waiting for the coordinator's decision.</p>}
      {canEnrol && <EnrolForm referral={r} onDone={onDone} />}
    </article>
  );
}

function EnrolmentCard({ e }: { e: Enrolment }) {
  return (
    <article class="card" aria-label={`Enrolment in ${e.program.title}`}>
      <h3>{e.program.title}</h3>
      <p>
        {/* The enrolment's own date, and the program's start apart from it (a cohort may begin weeks later). */}
        <span class={`badge ${e.status}`}>{label(e.status)}</span> {e.status === 'enrolled' ? 'on' : '· enrolled'} {formatDate(e.enrolledAt)} ·{' '}
        {e.startDate > today() ? 'starts' : 'started'} {formatDate(e.startDate)}
        {e.facilitator ? (
          <>
            {' '}· with <PersonName reference={e.facilitator} detail />
          </>
        ) : null}
        {e.withdrawal ? ` · withdrawn ${formatDate(e.withdrawal.date)}: ${e.withdrawal.display}` : ''}
      </p>
      <table class="stack">
        <caption>Attendance</caption>
        <thead>
          <tr>
            <th scope="col">Participant</th>
            <th scope="col">Attended</th>
            <th scope="col">Absent</th>
            <th scope="col">Excused</th>
          </tr>
        </thead>
        <tbody>
          {e.participants.map((p) => (
            <tr key={p.person}>
              <th scope="row">
                <PersonName reference={p.person} />
                {p.role === 'caregiver' ? ', caregiver' : ''}
                {p.active ? '' : ' (no longer taking part)'}
              </th>
              <td data-label="Attended">{p.attendance.attended}</td>
              <td data-label="Absent">{p.attendance.absent}</td>
              <td data-label="Excused">{p.attendance.excused}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
