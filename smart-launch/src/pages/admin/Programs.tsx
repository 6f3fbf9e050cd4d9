import { useState } from 'preact/hooks';
import { count, formatDate, label } from '../../lib/format';
import { programs, type Program } from '../../lib/programs';
import { questionnaires } from '../../lib/responses';
import { findInstrument } from '../patient/FormsPanel';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { JsonForm } from './JsonForm';

/** The program catalogue: each program's current version; a new version leaves running enrolments on theirs. */
export function ProgramsAdmin() {
  const { data, error, loading, reload } = useLoad(() => programs.list(), []);
  // Instruments by their titles, not their canonical URLs.
  const library = useLoad(() => questionnaires.list(), []);
  const titleOf = (canonical: string) => {
    const q = findInstrument(library.data ?? [], canonical);
    return q?.title ?? q?.name ?? canonical.split('|')[0].split('/').pop() ?? canonical;
  };
  const [editing, setEditing] = useState<Program | null>(null);
  return (
    <Page title="Program catalogue">
      {loading && !data && <Loading what="programs" />}
      <ErrorBox error={error} />
      {data?.map((p) => (
        <article class="card" key={p.id} aria-labelledby={`prog-${p.id}`}>
          <h2 id={`prog-${p.id}`} class="h3">{p.current.title}</h2>
          <p>
            {label(p.kind)} · version {p.current.version} (published {formatDate(p.current.publishedAt)}; {p.versions.length > 1 ? `versions ${p.versions.join(', ')}` : 'the only version'}) ·{' '}
            {count(p.current.sessionCount, 'session')} {p.current.cadenceDays === 1 ? 'daily' : p.current.cadenceDays === 7 ? 'weekly' : `every ${count(p.current.cadenceDays, 'day')}`},{' '}
            {count(p.current.sessionMinutes, 'minute')} each · {count(p.current.capacity, 'seat')}
          </p>
          <p>{p.current.description}</p>
          <details>
            <summary>Eligibility and questionnaire timepoints</summary>
            <ul>{p.current.eligibility.map((c) => <li key={c.id}>{c.text}</li>)}</ul>
            <ul>
              {p.current.timepoints.map((t) => (
                <li key={t.code}>{label(t.code)} (days {t.dueFromDays} to {t.dueToDays}): {t.instruments.map(titleOf).join(', ')}</li>
              ))}
            </ul>
          </details>
          <button type="button" class="secondary small" onClick={() => setEditing(p)}>
            Publish a new version<span class="visually-hidden"> of {p.current.title}</span>
          </button>
        </article>
      ))}
      {editing && (
        <JsonForm key={editing.id} id="publish" title={`New version of ${editing.current.title}`} label="Program version (JSON)"
          hint="Starts from the current version; change the version number and what differs."
          initial={JSON.stringify(versionBody(editing), null, 2)} submitLabel="Publish version"
          send={(body) => programs.publish(editing.id, body)} onDone={() => (setEditing(null), reload())} />
      )}
    </Page>
  );
}

/** The current version as a starting point, without the server-set fields. */
function versionBody(p: Program) {
  const { id: _id, canonical: _c, publishedAt: _p, ...rest } = p.current;
  return rest;
}
