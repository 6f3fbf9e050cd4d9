import { useT } from '../../lib/i18n';
import { launchProblem } from '../../lib/patient-problems';
import { href } from '../../lib/router';
import { usePageAssist, useSavedSettings } from '../../player/use-page-assist';
import { Page } from '../../ui/Page';
import { ErrorBox } from '../../ui/Status';

/**
 * A patient or caregiver launched from their portal on a form (SMART 2.2 fhirContext) that cannot be opened: said in
 * their language, by what the service answered (lib/patient-problems.ts launchProblem), never its staff wording or
 * the form's canonical; one large way on to their own list (keyboard, switch scanning, dwell).
 */
export function LaunchFormProblem({ error, home }: { error: unknown; home: string }) {
  const t = useT();
  const settings = useSavedSettings();
  usePageAssist(settings, true, 'launch-problem');
  // `error` null: the service named a form this program's library does not have.
  const line = error ? launchProblem(error, t) : t('The questionnaire your health record asked for is not available in this program, so nothing was opened.');
  return (
    <Page title={t('The questionnaire could not be opened')}>
      {error ? <ErrorBox error={error instanceof Error ? error : new Error()} title={t('That did not work')} lines={[line]} /> : <p role="alert">{line}</p>}
      <p>
        <a class="button primary" href={href(home)} data-scan="1" data-dwell>
          {t('Go to my questionnaires')}
        </a>
      </p>
    </Page>
  );
}
