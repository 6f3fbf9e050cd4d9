import { useEffect } from 'preact/hooks';
import { useApp } from '../lib/context';
import { useT } from '../lib/i18n';
import { launchForms, markLaunchFormHandled } from '../lib/launch-form';
import { questionnaires } from '../lib/responses';
import { href, navigate } from '../lib/router';
import { Page } from '../ui/Page';
import { ErrorBox, Loading } from '../ui/Status';
import { useLoad } from '../ui/use-load';
import type { QuestionnaireSummary } from '../lib/responses';
import { LaunchFormProblem } from './player/LaunchFormProblem';

// #/launch-form: the EHR launched the app on a form (SMART 2.2 fhirContext). The service says which (a canonical,
// or the Task's) and refuses a Task about another patient; a form this clinic's library lacks is said plainly. Staff
// read what the service said (English); a patient or caregiver launched from their portal reads it in their own
// language and words (LaunchFormProblem).

/**
 * The library entry the EHR asked for, exactly: `url|version` must be that version (never another version of the
 * url, nor a form that merely shares a slug); a bare url is the highest version of that url.
 */
export function exactInstrument(library: QuestionnaireSummary[], canonical: string): QuestionnaireSummary | undefined {
  return canonical.includes('|') ? library.find((s) => s.canonical === canonical) : library.find((s) => s.url === canonical);
}

export function LaunchForm() {
  const ctx = useApp();
  const t = useT();
  const staff = ctx.user.role === 'clinician' || ctx.user.role === 'coordinator';
  const home = staff ? 'patient' : 'forms';
  const { data, error, loading } = useLoad(() => Promise.all([launchForms.get(), questionnaires.list()]), []);
  const form = data?.[0].form ?? null;
  const known = form && data ? exactInstrument(data[1], form.canonical) : undefined;
  useEffect(() => {
    // Reached as the home screen: pin the route, so that what this page says stays on screen (home is the
    // patient's program from now on).
    if (!location.hash.replace(/^#\/?/, '')) navigate('launch-form', {}, true);
    markLaunchFormHandled();
  }, []);
  useEffect(() => {
    if (!data) return;
    if (!form) navigate(home, {}, true);
    // The player is opened on the canonical itself (url-encoded), which the service resolves exactly.
    // A Task the EHR has not released (draft, on hold) opens the form but is not completed by it: staff are told.
    else if (known && ctx.patient) {
      navigate(`answer/${encodeURIComponent(form.canonical)}`, { subject: `Patient/${ctx.patient.id}`, return: home, task: staff ? form.taskNotReady : undefined }, true);
    }
  }, [data]);

  if (loading && !data) return staff ? <Loading what="the form the EHR asked for" /> : <Loading text={t('Opening the questionnaire…')} />;
  if (!staff && (error || !data || (form && !known))) return <LaunchFormProblem error={error ?? (data ? null : new Error())} home={home} />;
  if (error || !data) {
    return (
      <Page title="The form could not be opened">
        <ErrorBox error={error} title="The form the EHR asked for could not be opened" />
        <p>
          <a href={href(home)}>Go to the patient's program instead</a>
        </p>
      </Page>
    );
  }
  if (form && !known) {
    return (
      <Page title="This form is not in the program's library">
        <p role="alert">
          The EHR asked the app to open a form this program does not have: <code>{form.canonical}</code>
          {form.task ? ` (from ${form.task})` : ''}. Nothing was opened. An administrator can import it into the questionnaire library; until then,
          choose a form from the patient's program.
        </p>
        <p>
          <a class="button primary" href={href(home)}>
            Go to the patient's program
          </a>
        </p>
      </Page>
    );
  }
  return staff ? <Loading what="the form" /> : <Loading text={t('Opening the questionnaire…')} />;
}
