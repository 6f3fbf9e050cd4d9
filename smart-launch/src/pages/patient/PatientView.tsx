import { useState } from 'preact/hooks';
import { useApp } from '../../lib/context';
import { href } from '../../lib/router';
import { Page } from '../../ui/Page';
import { AlertsPanel } from './AlertsPanel';
import { FormsPanel } from './FormsPanel';
import { ProgramPanel } from './ProgramPanel';
import { ScoreHistory } from './ScoreHistory';
import { WriteBackStatus } from './WriteBackStatus';

/**
 * The clinician's view of the patient in context: alerts first, then whether their updates reached the EHR,
 * then program, forms and scores.
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
      <FormsPanel patientId={patientId} refreshKey={refresh} />
      <ScoreHistory patientId={patientId} refreshKey={refresh} />
    </Page>
  );
}
