import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTimeIn, label, zoneLabel } from '../../lib/format';
import { hasErrorCode } from '../../lib/outcome';
import { attendance, sessionStarted, type AttendanceStatus, type Enrolment, type Session } from '../../lib/programs';
import { errorsOf } from '../../ui/Field';
import { ErrorBox, Notice } from '../../ui/Status';
import { useAction } from '../../ui/use-load';
import { useRerenderAt } from '../../ui/use-rerender-at';
import { PersonName } from './PersonName';

// Attendance for one session, the whole roster at once: one group per active participant (named from the EHR,
// caregivers included), one large radio target per status. Saved together; the server writes each change back
// to the EHR.

const STATUSES: AttendanceStatus[] = ['attended', 'absent', 'excused'];

/** A row's element id (focused when a colleague recorded something else for that person). */
const rowId = (person: string) => `att-${person.replace(/[^A-Za-z0-9-]/g, '-')}-row`;

/** The session's own refusals in plain words, its time in the cohort's zone (never an ISO instant); else the server's. */
function refusal(error: Error | null | undefined, when: string, clashes: number): string[] | undefined {
  if (hasErrorCode(error, 'PROGRAMS.SESSION_NOT_STARTED')) return [`This session has not started yet: its attendance can be recorded from ${when}. Nothing was saved.`];
  if (hasErrorCode(error, 'PROGRAMS.SESSION_CLOSED')) return ['This session was cancelled, so it has no attendance. Nothing was saved.'];
  if (hasErrorCode(error, 'PROGRAMS.CHANGED')) {
    return [
      "This session's attendance, or who is in it, changed after it was shown here (someone else saved attendance, or a participant joined or left). Nothing was saved.",
      clashes > 0
        ? `What is recorded now is shown below, with your own marks kept. For ${clashes === 1 ? 'one person' : `${clashes} people`} someone else recorded something other than your mark: see the note on ${clashes === 1 ? 'that row' : 'those rows'}, choose, and save again.`
        : 'What is recorded now is shown below, with your own marks kept where you made them: check them and save again.',
    ];
  }
  return undefined;
}

/**
 * `onChanged`: the session's attendance or roster changed (a save, or a save refused because someone else changed
 * it): the page reads the cohort again, its participants included, and the grid follows its roster.
 */
export function AttendanceGrid({ session, enrolments, onChanged }: { session: Session; enrolments: Enrolment[]; onChanged(): void }) {
  const roster = enrolments.filter((e) => ['enrolled', 'active'].includes(e.status)).flatMap((e) => e.participants.filter((p) => p.active).map((p) => ({ ...p, patientId: e.patientId })));
  const [marks, setMarks] = useState<Record<string, AttendanceStatus>>({});
  // What was recorded before is fetched while the coordinator may already be marking: the marks made meanwhile win
  // over it (a late answer once wiped them, and the save then sent only the people marked after it), and an answer
  // that comes after the grid is gone is dropped. The grid is keyed by its session (CohortDetail), so another session
  // starts afresh. One status line says while it loads and once it is shown; if it cannot be read, the grid says so
  // and offers to try again.
  const [recorded, setRecorded] = useState<'loading' | 'loaded' | 'failed'>('loading');
  const [attempt, setAttempt] = useState(0);
  // The recorded attendance's ETag, sent with the save (If-Match): if a colleague saved this session's attendance
  // after it was read, the save is refused (412) instead of putting back their corrections with the marks that
  // were merely shown here. After such a refusal the recorded attendance is read again; only the marks this person
  // made (`mine`) are kept over it.
  const [etag, setEtag] = useState<string | null>(null);
  const mineRef = useRef<Record<string, AttendanceStatus>>({});
  // After a refusal: the people for whom someone else recorded, since the last read, a status other than this
  // person's mark (theirs, by person). Their rows say so, the first gets focus: her mark stays chosen, but she
  // must not overwrite a colleague's correction without seeing it.
  const seenRef = useRef<Record<string, AttendanceStatus>>({});
  const refusedRef = useRef(false);
  const focusClashRef = useRef(false);
  const [clashes, setClashes] = useState<Record<string, AttendanceStatus>>({});
  const mark = (person: string, status: AttendanceStatus) => {
    mineRef.current = { ...mineRef.current, [person]: status };
    setMarks((made) => ({ ...made, [person]: status }));
    // Chosen again after seeing a colleague's record: the note on that row has been read.
    setClashes((c) => Object.fromEntries(Object.entries(c).filter(([p]) => p !== person)));
  };
  const action = useAction();
  const errors = errorsOf(action.error);
  // A session that has not started has no attendance yet (the server refuses it, 409 PROGRAMS.SESSION_NOT_STARTED):
  // the grid says from when it can be recorded instead of offering choices that cannot be saved.
  const when = `${formatDateTimeIn(session.startsAt, session.timeZone)} (${zoneLabel(session.timeZone)} time)`;
  const notStarted = !sessionStarted(session);
  useRerenderAt([Date.parse(session.startsAt)]); // opened a few minutes before it starts: the choices come when it does
  const rosterKey = roster.map((p) => p.person).join(' ');
  useEffect(() => {
    if (notStarted) return;
    let current = true;
    setRecorded('loading');
    attendance.get(session.id).then(
      ({ data: rows, etag: read }) => {
        if (!current) return;
        const now: Record<string, AttendanceStatus> = Object.fromEntries(rows.map((r) => [r.person, r.status]));
        const refused = refusedRef.current;
        refusedRef.current = false;
        if (refused) {
          const theirs: Record<string, AttendanceStatus> = {};
          for (const [person, status] of Object.entries(mineRef.current)) {
            if (now[person] !== undefined && now[person] !== seenRef.current[person] && now[person] !== status) theirs[person] = now[person];
          }
          focusClashRef.current = Object.keys(theirs).length > 0;
          setClashes(theirs);
        } else {
          // Read again for another roster (after a refusal, the cohort is read again too, and may come after the
          // attendance): the notes of a refusal stay on the rows still listed whose record has not moved since.
          const listed = new Set(roster.map((p) => p.person));
          setClashes((c) => Object.fromEntries(Object.entries(c).filter(([person, status]) => listed.has(person) && now[person] === status)));
        }
        seenRef.current = now;
        setMarks(() => ({ ...now, ...mineRef.current }));
        setEtag(read);
        setRecorded('loaded');
      },
      () => {
        if (!current) return;
        // Nothing recorded is known now: only her own marks are shown (and sent), without a precondition.
        setEtag(null);
        setMarks(() => ({ ...mineRef.current }));
        setRecorded('failed');
      },
    );
    return () => {
      current = false;
    };
    // The roster is part of what the ETag covers: a participant withdrawn on this page reads the attendance again.
  }, [session.id, attempt, notStarted, rosterKey]);
  // Once a refusal's reload shows them, focus the first row whose mark differs from a colleague's new record (once:
  // choosing on that row must not move focus to the next one).
  useEffect(() => {
    const first = roster.find((p) => clashes[p.person]);
    if (!focusClashRef.current || !first) return;
    focusClashRef.current = false;
    document.getElementById(rowId(first.person))?.focus();
  }, [clashes]);
  // Only marked people are sent; the server's errors name their place in what was sent.
  const sent = roster.filter((p) => marks[p.person]).map((p) => p.person);
  const errorOf = (person: string) => {
    const i = sent.indexOf(person);
    return i < 0 ? undefined : (errors[`attendance.${i}.status`] ?? errors[`attendance.${i}.person`]);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const rows = sent.map((person) => ({ person, status: marks[person] }));
    const saved = await action.run(async () => {
      try {
        return await attendance.record(session.id, rows, etag);
      } catch (err) {
        // Read what is recorded now, and its ETag, and who is in the session now (someone may have joined or left:
        // a mark for a person no longer listed is not sent); this person's own marks stay on top of it.
        if (hasErrorCode(err, 'PROGRAMS.CHANGED')) {
          refusedRef.current = true;
          setAttempt((n) => n + 1);
          onChanged();
        }
        throw err;
      }
    }, 'Attendance saved.');
    if (saved) {
      setEtag(saved.etag);
      mineRef.current = {};
      seenRef.current = Object.fromEntries(saved.data.map((r) => [r.person, r.status]));
      setClashes({});
      onChanged();
    }
  };
  const title = `Attendance, week ${session.sequence} (${formatDateTimeIn(session.startsAt, session.timeZone)})`;
  if (notStarted) {
    return (
      <section aria-labelledby="attendance-heading" class="attendance-grid">
        <h2 id="attendance-heading">{title}</h2>
        <p>This session has not started yet. Its attendance can be recorded from {when}.</p>
      </section>
    );
  }
  return (
    <form onSubmit={save} aria-labelledby="attendance-heading" noValidate class="attendance-grid">
      <h2 id="attendance-heading">{title}</h2>
      <ErrorBox error={action.error} title="Attendance was not saved" lines={refusal(action.error, when, Object.keys(clashes).length)} />
      <p role="status" class="hint">
        {recorded === 'loading' ? 'Loading the attendance already recorded…' : recorded === 'loaded' ? 'The attendance already recorded is shown.' : ''}
      </p>
      {recorded === 'failed' && (
        <div class="field-error" role="alert">
          <p>
            The attendance already recorded for this session could not be loaded: the choices below show only what you mark now. Saving changes
            only the people you mark.
          </p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try loading it again
          </button>
        </div>
      )}
      {roster.length === 0 && <p>No one is enrolled in this cohort yet.</p>}
      {roster.map((p) => {
        const error = errorOf(p.person);
        const id = `att-${p.person.replace(/[^A-Za-z0-9-]/g, '-')}`;
        const theirs = clashes[p.person];
        const described = [error ? `${id}-error` : '', theirs ? `${id}-clash` : ''].filter(Boolean).join(' ');
        return (
          <fieldset key={p.person} id={rowId(p.person)} tabIndex={-1} class={`attendance-row${error || theirs ? ' has-error' : ''}`} aria-describedby={described || undefined}>
            <legend>
              <PersonName reference={p.person} />
              {p.role === 'caregiver' ? ', caregiver' : ''}
            </legend>
            <div class="choice-row">
              {STATUSES.map((s) => (
                <label key={s} class={`choice${marks[p.person] === s ? ' checked' : ''}`}>
                  <input type="radio" name={id} checked={marks[p.person] === s} onChange={() => mark(p.person, s)} />
                  {label(s)}
                </label>
              ))}
            </div>
            {theirs && (
              <p class="field-error" id={`${id}-clash`}>
                Someone else recorded “{label(theirs)}” after this was shown; your mark, “{label(marks[p.person] ?? theirs)}”, is still chosen. Keep it or
                choose theirs, then save.
              </p>
            )}
            {error && (
              <p class="field-error" id={`${id}-error`}>
                {error}
              </p>
            )}
          </fieldset>
        );
      })}
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy || roster.length === 0}>Save attendance</button>
        <Notice>{action.done}</Notice>
      </div>
    </form>
  );
}
