import { useState } from 'preact/hooks';
import { formatDate } from '../../lib/format';
import { cohorts, programs } from '../../lib/programs';
import { href } from '../../lib/router';
import { Field, control, errorsOf } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';

/** Cohorts of the group courses with their seats; a new cohort generates its weekly sessions. */
export function Cohorts() {
  const { data, error, loading, reload } = useLoad(() => Promise.all([cohorts.list(), programs.list()]), []);
  if (loading && !data) return <Page title="Cohorts and sessions">{<Loading what="cohorts" />}</Page>;
  if (error || !data) return <Page title="Cohorts and sessions">{<ErrorBox error={error} />}</Page>;
  const [list, progs] = data;
  return (
    <Page title="Cohorts and sessions">
      <div class="table-wrap">
        <table>
          <caption>Cohorts</caption>
          <thead>
            <tr><th scope="col">Cohort</th><th scope="col">Program</th><th scope="col">Starts</th><th scope="col">Weekly at</th><th scope="col">Seats left</th></tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id}>
                <th scope="row"><a href={href(`cohorts/${c.id}`)}>{c.name}</a></th>
                <td>{c.program.title}</td>
                <td>{formatDate(c.startDate)}</td>
                <td>{c.sessionTime} ({c.timeZone})</td>
                <td>{c.seatsLeft} of {c.capacity}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.length === 0 && <p>No cohort yet.</p>}
      <NewCohort programs={progs.filter((p) => p.kind === 'group-course').map((p) => ({ slug: p.slug, title: p.current.title }))} onDone={reload} />
    </Page>
  );
}

function NewCohort({ programs: progs, onDone }: { programs: { slug: string; title: string }[]; onDone(): void }) {
  const [f, setF] = useState({ program: progs[0]?.slug ?? '', name: '', startDate: '', sessionTime: '15:00', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, facilitator: '' });
  const action = useAction();
  const errors = errorsOf(action.error);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => cohorts.create(f), 'Cohort created with its sessions.')) onDone();
  };
  const input = (k: keyof typeof f, labelText: string, type: 'text' | 'date' | 'time' = 'text', hint?: string) => (
    <Field id={`cohort-${k}`} label={labelText} error={errors[k]} hint={hint}>
      {/* Preact types each input type separately; the union is safe here. */}
      <input type={type as 'text'} {...control(`cohort-${k}`, errors[k], hint ? `cohort-${k}-hint` : undefined)} value={f[k]} onInput={set(k)} />
    </Field>
  );
  return (
    <form class="card" onSubmit={submit} aria-labelledby="new-cohort" noValidate>
      <h2 id="new-cohort">New cohort</h2>
      <ErrorBox error={action.error} title="The cohort was not created" />
      <div class="form-grid">
        <Field id="cohort-program" label="Program" error={errors.program}>
          <select {...control('cohort-program', errors.program)} value={f.program} onChange={set('program')}>
            {progs.map((p) => <option key={p.slug} value={p.slug}>{p.title}</option>)}
          </select>
        </Field>
        {input('name', 'Name')}
        {input('startDate', 'First session date', 'date')}
        {input('sessionTime', 'Session time', 'time')}
        {input('timeZone', 'Time zone', 'text', 'IANA name, e.g. Europe/Paris')}
        {input('facilitator', 'Facilitator', 'text', 'Practitioner/<id>')}
      </div>
      <button type="submit" class="primary" disabled={action.busy}>Create cohort</button>
      <Notice>{action.done}</Notice>
    </form>
  );
}
