import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, label } from '../../lib/format';
import { attendance, type AttendanceStatus, type Enrolment, type Session } from '../../lib/programs';
import { errorsOf } from '../../ui/Field';
import { ErrorBox, Notice } from '../../ui/Status';
import { useAction } from '../../ui/use-load';
import { PatientName } from './PatientName';

// Attendance for one session, the whole roster at once: one row per active participant, one radio per
// status. Saved together; the server writes each change back to the EHR.

const STATUSES: AttendanceStatus[] = ['attended', 'absent', 'excused'];

export function AttendanceGrid({ session, enrolments, onSaved }: { session: Session; enrolments: Enrolment[]; onSaved(): void }) {
  const roster = enrolments.filter((e) => ['enrolled', 'active'].includes(e.status)).flatMap((e) => e.participants.filter((p) => p.active).map((p) => ({ ...p, patientId: e.patientId })));
  const [marks, setMarks] = useState<Record<string, AttendanceStatus>>({});
  const action = useAction();
  const errors = errorsOf(action.error);
  useEffect(() => {
    setMarks({});
    void attendance.get(session.id).then((rows) => setMarks(Object.fromEntries(rows.map((r) => [r.person, r.status]))), () => undefined);
  }, [session.id]);
  const save = async (e: Event) => {
    e.preventDefault();
    const rows = roster.filter((p) => marks[p.person]).map((p) => ({ person: p.person, status: marks[p.person] }));
    if (await action.run(() => attendance.record(session.id, rows), 'Attendance saved.')) onSaved();
  };
  const title = `Attendance, week ${session.sequence} (${formatDateTime(session.startsAt, session.timeZone)})`;
  return (
    <form onSubmit={save} aria-labelledby="attendance-heading" noValidate>
      <h2 id="attendance-heading">{title}</h2>
      <ErrorBox error={action.error} title="Attendance was not saved" />
      {roster.length === 0 ? (
        <p>No one is enrolled in this cohort yet.</p>
      ) : (
        <table class="attendance-grid">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Participant</th>
              {STATUSES.map((s) => <th scope="col" key={s}>{label(s)}</th>)}
            </tr>
          </thead>
          <tbody>
            {roster.map((p, i) => (
              <tr key={p.person} class={errors[`attendance.${i}.status`] || errors[`attendance.${i}.person`] ? 'has-error' : ''}>
                <th scope="row">
                  {p.role === 'patient' ? <PatientName id={p.patientId} /> : `Caregiver ${p.person}`}
                </th>
                {STATUSES.map((s) => (
                  <td key={s}>
                    <input
                      type="radio"
                      name={`att-${p.person}`}
                      checked={marks[p.person] === s}
                      onChange={() => setMarks({ ...marks, [p.person]: s })}
                      aria-label={`${label(s)}: ${p.role === 'patient' ? 'patient' : 'caregiver'} ${p.person}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy || roster.length === 0}>Save attendance</button>
        <Notice>{action.done}</Notice>
      </div>
    </form>
  );
}
