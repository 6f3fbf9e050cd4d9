import { count, formatDateTimeIn, label, zoneLabel } from '../../lib/format';
import { cohorts, enrolments, sessionStarted } from '../../lib/programs';
import { href } from '../../lib/router';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { useRerenderAt } from '../../ui/use-rerender-at';
import { AttendanceGrid } from './AttendanceGrid';
import { Participants } from './Participants';
import { PersonName } from './PersonName';

/** One cohort: its session calendar, the attendance grid of the chosen session, and its participants. */
export function CohortDetail({ cohortId, sessionId }: { cohortId: string; sessionId?: string }) {
  const { data, error, loading, reload } = useLoad(() => Promise.all([cohorts.get(cohortId), cohorts.sessions(cohortId), enrolments.list({ cohortId })]), [cohortId]);
  // A session's Attendance link appears when it starts, also on a calendar opened a few minutes before.
  useRerenderAt(data ? data[1].map((s) => Date.parse(s.startsAt)) : []);
  if (loading && !data) return <Page title="Cohort">{<Loading what="the cohort" />}</Page>;
  if (error || !data) return <Page title="Cohort">{<ErrorBox error={error} />}</Page>;
  const [cohort, sessions, enrols] = data;
  const session = sessions.find((s) => s.id === sessionId);
  return (
    <Page title={`Cohort: ${cohort.name}`}>
      <p>
        {cohort.program.title} · {cohort.seatsTaken} of {count(cohort.capacity, 'seat')} taken · facilitated by <PersonName reference={cohort.facilitator} detail /> ·
        times in {zoneLabel(cohort.timeZone, true)}
      </p>
      <div class="grid-2">
        <section aria-labelledby="calendar-heading">
          <h2 id="calendar-heading">Session calendar</h2>
          <table class="stack">
            <caption class="visually-hidden">Sessions, in the cohort's time zone ({zoneLabel(cohort.timeZone)})</caption>
            <thead>
              <tr><th scope="col">Week</th><th scope="col">When</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Action</span></th></tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} aria-current={s.id === sessionId ? 'true' : undefined}>
                  <th scope="row">Week {s.sequence}</th>
                  <td data-label="When">{formatDateTimeIn(s.startsAt, s.timeZone)}</td>
                  <td data-label="Status">
                    {label(s.status)}
                    {s.cancelReason ? `: ${s.cancelReason}` : ''}
                    {s.facilitator && s.facilitator !== cohort.facilitator ? (
                      <>
                        {' '}· led by <PersonName reference={s.facilitator} />
                      </>
                    ) : null}
                  </td>
                  <td>
                    {/* A session not yet started has no attendance: its time is in the row already (the grid, opened
                        by its address, says from when it can be recorded). */}
                    {s.status !== 'cancelled' && sessionStarted(s) && (
                      <a href={href(`cohorts/${cohortId}`, { session: s.id })}>
                        Attendance<span class="visually-hidden"> for week {s.sequence}</span>
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <div>
          {session ? <AttendanceGrid key={session.id} session={session} enrolments={enrols} onChanged={reload} /> : <p>Choose a session to record its attendance.</p>}
        </div>
      </div>
      <Participants enrolments={enrols} onChange={reload} />
    </Page>
  );
}
