import type { AppContext } from '../../lib/context';
import { href } from '../../lib/router';
import { Page } from '../../ui/Page';

/**
 * Shown instead of another patient's screen, or a screen listing other patients, while the EHR has a patient
 * open: nothing about anyone else appears under that patient's banner. The service refuses the data as well.
 */
export function OnlyPatientInContext({ ctx }: { ctx: AppContext }) {
  const who = ctx.patient?.name ?? 'the patient open in your EHR';
  return (
    <Page title={`Only ${who} is shown here`}>
      <p>
        You opened the app from {who}'s chart in {ctx.ehr.name}, so it shows only their information. To work with other patients, cohorts or
        write-back problems, open the app from the EHR without a patient selected.
      </p>
      <p>
        <a href={href('patient')}>Back to {who}</a>
      </p>
    </Page>
  );
}
