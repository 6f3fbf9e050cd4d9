import { useApp } from '../lib/context';
import { formatDate, label } from '../lib/format';
import { questionnaires } from '../lib/responses';
import { href } from '../lib/router';
import { SettingsPanel } from '../player/SettingsPanel';
import { useSettings } from '../player/settings';
import { usePageAssist } from '../player/use-page-assist';
import { Page } from '../ui/Page';
import { ErrorBox, Loading } from '../ui/Status';
import { useLoad } from '../ui/use-load';
import { findInstrument } from './patient/FormsPanel';
import { dueForms, type DueForm } from './player/due-forms';

/**
 * A patient's or caregiver's own forms (standalone launch). What can be answered today comes first, each one
 * large target to the player (overdue ones say so in words); forms whose window has not opened are listed
 * apart, with the day they open and nothing to press. With switch scanning or dwell (the player's settings,
 * also offered here) the highlight steps through the forms, then the header's "Sign out".
 */
export function MyForms() {
  const ctx = useApp();
  const [settings, update] = useSettings();
  const { data, error, loading } = useLoad(() => Promise.all([dueForms.list(), questionnaires.list()]), []);
  usePageAssist(settings, !!data, data ? 'forms' : 'loading');
  if (loading && !data) return <Page title="My questionnaires">{<Loading what="your questionnaires" />}</Page>;
  if (error || !data) return <Page title="My questionnaires">{<ErrorBox error={error} />}</Page>;
  const [due, library] = data;
  const titleOf = (a: DueForm) => findInstrument(library, a.questionnaire)?.title ?? a.questionnaire;
  // A caregiver sees their own forms and the ones they enter for the patient: each says whom it is about.
  const mixed = new Set(due.map((a) => a.subject)).size > 1;
  const about = (a: DueForm) => (!mixed ? '' : a.subject === ctx.user.fhirUser ? 'About you · ' : `About ${ctx.patient?.name ?? 'the patient'} · `);
  const open = due.filter((a) => a.availability === 'open');
  const later = due.filter((a) => a.availability === 'not-yet-open');
  return (
    <Page title="My questionnaires">
      <p>Hello {ctx.user.displayName}. Take your time: answers are saved after every question, and you can stop and come back whenever you like.</p>
      <div class="player-bar">
        <SettingsPanel settings={settings} update={update} />
      </div>
      <section aria-labelledby="open-forms-heading">
        <h2 id="open-forms-heading">Open now</h2>
        {open.length === 0 ? (
          <p>Nothing to answer right now. Thank you!</p>
        ) : (
          <ul class="options form-list">
            {open.map((a) => (
              <li key={a.id}>
                <a
                  class="option"
                  data-scan="1"
                  data-dwell
                  href={href(`answer/${encodeURIComponent(a.questionnaire)}`, { subject: a.subject, assignment: a.id, response: a.responseId ?? undefined, return: 'forms' })}
                >
                  <span class="option-label">
                    {a.responseId ? 'Continue' : 'Start'}: {titleOf(a)}
                    <span class="option-hint">
                      {about(a)}
                      {label(a.timepoint)} ·{' '}
                      {a.overdue ? (
                        <>
                          <span class="badge overdue">Overdue</span> it was due by {formatDate(a.dueUntil)}; you can still answer it
                        </>
                      ) : (
                        `until ${formatDate(a.dueUntil)}`
                      )}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      {later.length > 0 && (
        <section aria-labelledby="later-forms-heading">
          <h2 id="later-forms-heading">Not open yet</h2>
          <p>These open later. They cannot be started before the day they open.</p>
          <ul class="later-list">
            {later.map((a) => (
              <li key={a.id}>
                <strong>{titleOf(a)}</strong> · {about(a)}
                {label(a.timepoint)} · opens on {formatDate(a.dueFrom)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
