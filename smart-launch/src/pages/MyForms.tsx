import { useApp } from '../lib/context';
import { formatDate, label } from '../lib/format';
import { questionnaires } from '../lib/responses';
import { href } from '../lib/router';
import { Page } from '../ui/Page';
import { ErrorBox, Loading } from '../ui/Status';
import { useLoad } from '../ui/use-load';
import { assignments, findInstrument } from './patient/FormsPanel';

/** A patient's or caregiver's own due forms (standalone launch), each one large link to the player. */
export function MyForms() {
  const ctx = useApp();
  const { data, error, loading } = useLoad(() => Promise.all([assignments.list({}), questionnaires.list()]), []);
  if (loading && !data) return <Page title="My questionnaires">{<Loading what="your questionnaires" />}</Page>;
  if (error || !data) return <Page title="My questionnaires">{<ErrorBox error={error} />}</Page>;
  const [due, library] = data;
  const open = due.filter((a) => a.status === 'due' || a.status === 'in-progress');
  return (
    <Page title="My questionnaires">
      <p>Hello {ctx.user.displayName}. Take your time: answers are saved after every question, and you can stop and come back whenever you like.</p>
      {open.length === 0 && <p>Nothing to answer right now. Thank you!</p>}
      <ul class="options">
        {open.map((a) => {
          const q = findInstrument(library, a.questionnaire);
          return (
            <li key={a.id}>
              <a class="option" href={href(`answer/${q?.slug ?? encodeURIComponent(a.questionnaire)}`, { subject: a.subject, assignment: a.id, response: a.responseId ?? undefined, return: 'forms' })}>
                {a.responseId ? 'Continue' : 'Start'}: {q?.title ?? a.questionnaire} — {label(a.timepoint)}, until {formatDate(a.dueUntil)}
              </a>
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
