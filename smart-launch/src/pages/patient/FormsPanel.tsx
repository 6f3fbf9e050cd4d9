import { useState } from 'preact/hooks';
import { formatDate, label, today } from '../../lib/format';
import { api, query } from '../../lib/api';
import { questionnaires, responses, type QuestionnaireSummary } from '../../lib/responses';
import { href } from '../../lib/router';
import { Field } from '../../ui/Field';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { PersonName } from '../coordinator/PersonName';

// Due and overdue forms (from the program's timepoints), drafts to resume, and any instrument on demand.

export interface Assignment {
  id: string; patientId: string; subject: string; questionnaire: string; timepoint: string;
  dueFrom: string; dueUntil: string; status: string; overdue: boolean; responseId: string | null;
}

export const assignments = {
  list: (q: { patient?: string; cohort?: string; status?: string }) => api.get<Assignment[]>(`/api/questionnaire-assignments${query(q)}`),
};

/** The library entry for a canonical (`url` or `url|version`). */
export function findInstrument(library: QuestionnaireSummary[], canonical: string): QuestionnaireSummary | undefined {
  return library.find((s) => s.canonical === canonical) ?? library.find((s) => s.url === canonical.split('|')[0]);
}

/** The forms due; with `canAnswer` (a role that answers forms), drafts to resume and forms to start as well. */
export function FormsPanel({ patientId, refreshKey, canAnswer = true }: { patientId: string; refreshKey: number; canAnswer?: boolean }) {
  const { data, error, loading } = useLoad(
    () =>
      Promise.all([
        assignments.list({ patient: patientId }),
        canAnswer ? responses.search({ patient: patientId, status: 'in-progress' }) : Promise.resolve([]),
        questionnaires.list(),
      ]),
    [patientId, refreshKey, canAnswer],
  );
  const [pick, setPick] = useState('');
  if (loading && !data) return <Loading what="questionnaires" />;
  if (error || !data) return <ErrorBox error={error} title="Questionnaires could not be loaded" />;
  const [due, drafts, library] = data;
  // Forms whose window has opened (or passed) come first; later timepoints wait under "Upcoming".
  const pending = due.filter((a) => a.status === 'due' || a.status === 'in-progress');
  const open = pending.filter((a) => a.dueFrom <= today());
  const upcoming = pending.filter((a) => a.dueFrom > today());
  const nameOf = (canonical: string) => findInstrument(library, canonical)?.title ?? canonical;
  // Links name the form by its canonical (url-encoded): a slug can be shared by a clinic's form under another url,
  // and the service resolves a slug to the highest version among all of them.
  const answerPath = (canonical: string) => `answer/${encodeURIComponent(canonical)}`;
  const chosen = pick || library[0]?.canonical || '';
  return (
    <section aria-labelledby="forms-heading">
      <h2 id="forms-heading">Questionnaires</h2>
      {open.length === 0 ? (
        <p>No questionnaire is due.</p>
      ) : (
        <ul class="due-list">
          {open.map((a) => (
            <li key={a.id}>
              <strong>{nameOf(a.questionnaire)}</strong>
              {a.subject.startsWith('RelatedPerson/') && (
                <>
                  {' '}for <PersonName reference={a.subject} detail />
                </>
              )}{' '}
              · {label(a.timepoint)} · due {formatDate(a.dueFrom)}–{formatDate(a.dueUntil)}{' '}
              {a.overdue && <span class="badge overdue">Overdue</span>}{' '}
              {canAnswer && (
                <a class="button secondary small" href={href(answerPath(a.questionnaire), { subject: a.subject, assignment: a.id, response: a.responseId ?? undefined, return: 'patient' })}>
                  {a.responseId ? 'Resume' : 'Start'} <span class="visually-hidden">{nameOf(a.questionnaire)}</span>
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
      {upcoming.length > 0 && (
        <details>
          <summary>Upcoming ({upcoming.length})</summary>
          <ul>
            {upcoming.map((a) => (
              <li key={a.id}>
                {nameOf(a.questionnaire)} · {label(a.timepoint)} · from {formatDate(a.dueFrom)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {drafts.length > 0 && (
        <>
          <h3>Saved drafts</h3>
          <ul>
            {drafts.map((d) => (
              <li key={d.id}>
                {nameOf(d.questionnaire ?? '')}, saved {formatDate(d.meta?.lastUpdated ?? d.authored)}{' '}
                <a class="button secondary small" href={href(answerPath(d.questionnaire ?? ''), { subject: d.subject?.reference, response: d.id, return: 'patient' })}>
                  Resume <span class="visually-hidden">{nameOf(d.questionnaire ?? '')}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {!canAnswer && <p class="hint">The patient answers these on their own or with their clinician.</p>}
      {canAnswer && (
        <div class="form-grid">
          <Field id="start-instrument" label="Start another questionnaire">
            <select id="start-instrument" value={chosen} onChange={(e) => setPick(e.currentTarget.value)}>
              {library.map((s) => (
                <option key={s.canonical} value={s.canonical}>
                  {s.title ?? s.name ?? s.slug}
                </option>
              ))}
            </select>
          </Field>
          <div>
            <a class="button primary" href={href(answerPath(chosen), { subject: `Patient/${patientId}`, return: 'patient' })}>
              Start
            </a>
          </div>
        </div>
      )}
    </section>
  );
}
