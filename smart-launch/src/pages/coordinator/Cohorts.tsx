import { useState } from 'preact/hooks';
import { clinicTimeZone, count, formatClock, formatDate, zoneLabel } from '../../lib/format';
import { ApiError } from '../../lib/api';
import { hasErrorCode } from '../../lib/outcome';
import { cohorts, programs, type Cohort } from '../../lib/programs';
import { href } from '../../lib/router';
import { Field, control, errorsOf } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { TimeZoneField } from '../../ui/TimeZoneField';
import { useAction, useLoad } from '../../ui/use-load';
import { PersonName } from './PersonName';
import { PractitionerPicker } from './PractitionerPicker';

/** Cohorts of the group courses with their seats; a new cohort generates its weekly sessions. */
export function Cohorts() {
  const { data, error, loading, reload } = useLoad(() => Promise.all([cohorts.list(), programs.list()]), []);
  if (loading && !data) return <Page title="Cohorts and sessions">{<Loading what="cohorts" />}</Page>;
  if (error || !data) return <Page title="Cohorts and sessions">{<ErrorBox error={error} />}</Page>;
  const [list, progs] = data;
  return (
    <Page title="Cohorts and sessions">
      <table class="stack">
        <caption>Cohorts</caption>
        <thead>
          <tr><th scope="col">Cohort</th><th scope="col">Program</th><th scope="col">Starts</th><th scope="col">Weekly at</th><th scope="col">Facilitator</th><th scope="col">Seats left</th></tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id}>
              <th scope="row"><a href={href(`cohorts/${c.id}`)}>{c.name}</a></th>
              <td data-label="Program">{c.program.title}</td>
              <td data-label="Starts">{formatDate(c.startDate)}</td>
              <td data-label="Weekly at">{formatClock(c.sessionTime)}, {zoneLabel(c.timeZone)} time</td>
              <td data-label="Facilitator"><PersonName reference={c.facilitator} /></td>
              <td data-label="Seats left">{c.seatsLeft} of {count(c.capacity, 'seat')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && <p>No cohort yet.</p>}
      <NewCohort programs={progs.filter((p) => p.kind === 'group-course').map((p) => ({ slug: p.slug, title: p.current.title, version: p.current.version }))} cohorts={list} onDone={reload} />
    </Page>
  );
}

type CohortForm = { program: string; name: string; startDate: string; sessionTime: string; timeZone: string; facilitator: string };

/** The listed cohort a refused duplicate matches: the service's rule (program, name, first date, time and zone). */
function sameCohort(list: Cohort[], f: CohortForm, version: string | undefined): Cohort | undefined {
  const same = list.filter((c) => c.program.slug === f.program && c.name === f.name.trim() && c.startDate === f.startDate && c.sessionTime === f.sessionTime && c.timeZone === f.timeZone);
  // A new cohort takes the program's current version, and only one of that version can match (the server's rule); an
  // older version's cohort with the same name, date and time is another one.
  return same.find((c) => c.program.version === version) ?? (version === undefined ? same[0] : undefined);
}

/**
 * 409 PROGRAMS.DUPLICATE: the cohort exists already (a second press, or a colleague a moment before). Said in plain
 * words naming it (the service's text carries its id, for API clients), with a link to it; the list is reloaded, so
 * one made meanwhile by someone else is there to open too.
 */
function AlreadyCreated({ existing, form, programTitle }: { existing: Cohort | undefined; form: CohortForm; programTitle: string }) {
  return (
    <div class="error-summary" role="alert">
      <p class="error-title">This cohort already exists</p>
      {existing ? (
        <p>
          {programTitle} already has the cohort “{existing.name}”, first session {formatDate(existing.startDate)} at {formatClock(existing.sessionTime)} (
          {zoneLabel(existing.timeZone)} time), so no second one was created. <a href={href(`cohorts/${existing.id}`)}>Open {existing.name}</a>
        </p>
      ) : (
        <p>
          {programTitle} already has a cohort named “{form.name.trim()}” with this first session date and time, so no second one was created. It
          is in the list above.
        </p>
      )}
    </div>
  );
}

function NewCohort({ programs: progs, cohorts: list, onDone }: { programs: { slug: string; title: string; version?: string }[]; cohorts: Cohort[]; onDone(): void }) {
  const clinicZone = clinicTimeZone();
  const [f, setF] = useState<CohortForm>({ program: progs[0]?.slug ?? '', name: '', startDate: '', sessionTime: '15:00', timeZone: clinicZone, facilitator: '' });
  // What was sent when the service answered that it exists: the form may be edited while the answer is shown.
  const [refused, setRefused] = useState<CohortForm | null>(null);
  const action = useAction();
  const duplicate = refused && action.error && hasErrorCode(action.error, 'PROGRAMS.DUPLICATE') ? refused : null;
  const errors: Record<string, string> = duplicate ? { name: 'A cohort of this program already has this name, first date and time.' } : errorsOf(action.error);
  const set = (k: keyof CohortForm) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    const sent = { ...f };
    let exists = false;
    const created = await action.run(
      () =>
        cohorts.create(sent).catch((err: unknown) => {
          exists = err instanceof ApiError && err.status === 409 && hasErrorCode(err, 'PROGRAMS.DUPLICATE');
          throw err;
        }),
      'Cohort created with its sessions.',
    );
    setRefused(exists ? sent : null);
    // Created, or refused because it exists: either way the list shows it now.
    if (created || exists) onDone();
  };
  const input = (k: 'name' | 'startDate' | 'sessionTime', labelText: string, type: 'text' | 'date' | 'time' = 'text', hint?: string) => (
    <Field id={`cohort-${k}`} label={labelText} error={errors[k]} hint={hint}>
      {/* Preact types each input type separately; the union is safe here. */}
      <input type={type as 'text'} {...control(`cohort-${k}`, errors[k], hint ? `cohort-${k}-hint` : undefined)} value={f[k]} onInput={set(k)} />
    </Field>
  );
  return (
    <form class="card" onSubmit={submit} aria-labelledby="new-cohort" noValidate>
      <h2 id="new-cohort">New cohort</h2>
      {duplicate ? (
        <AlreadyCreated existing={sameCohort(list, duplicate, progs.find((p) => p.slug === duplicate.program)?.version)} form={duplicate} programTitle={progs.find((p) => p.slug === duplicate.program)?.title ?? 'This program'} />
      ) : (
        <ErrorBox error={action.error} title="The cohort was not created" />
      )}
      <div class="form-grid">
        <Field id="cohort-program" label="Program" error={errors.program}>
          <select {...control('cohort-program', errors.program)} value={f.program} onChange={set('program')}>
            {progs.map((p) => <option key={p.slug} value={p.slug}>{p.title}</option>)}
          </select>
        </Field>
        {input('name', 'Name')}
        {input('startDate', 'First session date', 'date')}
        {input('sessionTime', 'Session time', 'time')}
        <TimeZoneField id="cohort-timeZone" label="Time zone" value={f.timeZone} clinicZone={clinicZone} error={errors.timeZone} onChange={(timeZone) => setF({ ...f, timeZone })} />
      </div>
      <PractitionerPicker id="cohort-facilitator" label="Facilitator" value={f.facilitator} error={errors.facilitator} onChange={(facilitator) => setF({ ...f, facilitator })} />
      <button type="submit" class="primary" disabled={action.busy}>Create cohort</button>
      <Notice>{action.done}</Notice>
    </form>
  );
}
