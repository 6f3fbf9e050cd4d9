import { useState } from 'preact/hooks';
import { useApp } from '../../lib/context';
import { href } from '../../lib/router';
import { Page } from '../../ui/Page';
import { AlertsPanel } from './AlertsPanel';
import { FormsPanel } from './FormsPanel';
import { ProgramPanel } from './ProgramPanel';
import { ScoreHistory } from './ScoreHistory';
import { WriteBackStatus } from './WriteBackStatus';

/** Who answers forms and reads answers and scores (the service's /api/questionnaire-responses roles). */
const ANSWERERS = ['clinician', 'patient', 'caregiver'];

/**
 * The clinician's view of the patient in context: alerts first, then whether their updates reached the EHR,
 * then program, forms and scores. A coordinator launched on the patient sees the same without what her role may not
 * read or do (answers, scores, starting a form): it is not asked for, so no refusal shows.
 */
export function PatientView({ patientId }: { patientId?: string }) {
  const ctx = useApp();
  const [refresh, setRefresh] = useState(0);
  if (!patientId) {
    return (
      <Page title="No patient selected">
        <p>Open the app from a patient's chart in the EHR to see their wellness program.</p>
      </Page>
    );
  }
  const name = ctx.patient?.id === patientId ? ctx.patient.name : null;
  const answers = ANSWERERS.includes(ctx.user.role);
  return (
    <Page
      title={name ? `Wellness program — ${name}` : 'Wellness program'}
      actions={
        <a class="button secondary" href={href(`summary/${patientId}`)}>
          Summary for the note
        </a>
      }
    >
      <AlertsPanel patientId={patientId} refreshKey={refresh} />
      <WriteBackStatus patientId={patientId} refreshKey={refresh} />
      <ProgramPanel patientId={patientId} onChange={() => setRefresh((n) => n + 1)} />
      <FormsPanel patientId={patientId} refreshKey={refresh} canAnswer={answers} />
      {answers ? (
        <ScoreHistory patientId={patientId} refreshKey={refresh} />
      ) : (
        <section aria-labelledby="scores-heading">
          <h2 id="scores-heading">Scores</h2>
          <p>Answers and score history are shown to the patient's clinicians. The latest score of each questionnaire is in the summary for the note.</p>
        </section>
      )}
    </Page>
  );
}
