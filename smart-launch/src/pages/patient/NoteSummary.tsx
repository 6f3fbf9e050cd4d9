import { useState } from 'preact/hooks';
import { api, query } from '../../lib/api';
import { useApp } from '../../lib/context';
import { formatDate } from '../../lib/format';
import type { PatientLabel } from '../../lib/patients';
import { href } from '../../lib/router';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';

// #/summary/<patient>: the clinician's note summary as the service writes it (GET …/summary?format=text), to copy
// into the EHR's note or print. The print stylesheet (app.css, @media print) keeps the banner and the text only.

/** Who the summary is about, from the app's people lookup (the EHR, via /api/patients?ids=): null when unknown. */
async function whoIs(patientId: string): Promise<PatientLabel | null> {
  try {
    const [label] = await api.get<PatientLabel[]>(`/api/patients${query({ ids: patientId })}`);
    return label && (label.name || label.mrn) ? label : null;
  } catch {
    return null;
  }
}

export function NoteSummary({ patientId }: { patientId?: string }) {
  const ctx = useApp();
  const { data: loaded, error, loading } = useLoad(
    () => Promise.all([api.get<string>(`/api/patients/${encodeURIComponent(patientId ?? '')}/summary?format=text`), whoIs(patientId ?? '')]),
    [patientId],
  );
  const [data, who] = loaded ?? [undefined, null];
  // The banner prints with the page when the app shows it for this patient; otherwise the page prints its own header.
  const bannerShown = !!ctx.needPatientBanner && ctx.patient?.id === patientId;
  const [copied, setCopied] = useState<string | null>(null);
  if (!patientId) return <Page title="Summary for the note"><p>Open the app from a patient's chart in the EHR.</p></Page>;
  if (loading && !loaded) return <Loading what="the summary" />;
  if (error || typeof data !== 'string') return <Page title="Summary for the note"><ErrorBox error={error} title="The summary could not be made" /></Page>;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(data);
      setCopied('Copied: paste it into the note.');
    } catch {
      // Inside an EHR's frame the clipboard may be closed to us: select the text for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('note-summary-text')!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      setCopied('The text is selected: press Ctrl+C (⌘C) to copy it.');
    }
  };
  return (
    <Page
      title="Summary for the note"
      actions={
        <div class="no-print">
          <button type="button" class="primary" onClick={() => void copy()}>
            Copy text
          </button>{' '}
          {/* A printed page without the patient's name or MRN on it could be filed under anyone: no print then. */}
          <button type="button" class="secondary" onClick={() => window.print()} disabled={!bannerShown && !who} aria-describedby={!bannerShown && !who ? 'note-no-print' : undefined}>
            Print
          </button>{' '}
          <a class="button secondary" href={href(`patient/${patientId}`)}>
            Back to the patient
          </a>
        </div>
      }
    >
      <p class="no-print" role="status">
        {copied ?? 'Program status, attendance, latest scores and open alerts, as plain text.'}
      </p>
      {!bannerShown && !who && (
        <p class="no-print" id="note-no-print">
          Printing is off: the patient's name could not be read from the EHR to put on the page.
        </p>
      )}
      {!bannerShown && who && (
        <header class="print-only note-patient">
          <strong>{who.name ?? 'Name not recorded'}</strong> · Born {who.birthDate ? formatDate(who.birthDate) : 'not recorded'} · MRN {who.mrn ?? 'not recorded'}
        </header>
      )}
      <pre id="note-summary-text" class="note-summary" tabIndex={0} aria-label="Summary text">
        {data}
      </pre>
    </Page>
  );
}
