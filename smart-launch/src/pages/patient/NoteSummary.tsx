import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { href } from '../../lib/router';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';

// #/summary/<patient>: the clinician's note summary as the service writes it (GET …/summary?format=text), to copy
// into the EHR's note or print. The print stylesheet (app.css, @media print) keeps the banner and the text only.

export function NoteSummary({ patientId }: { patientId?: string }) {
  const { data, error, loading } = useLoad(() => api.get<string>(`/api/patients/${encodeURIComponent(patientId ?? '')}/summary?format=text`), [patientId]);
  const [copied, setCopied] = useState<string | null>(null);
  if (!patientId) return <Page title="Summary for the note"><p>Open the app from a patient's chart in the EHR.</p></Page>;
  if (loading && !data) return <Loading what="the summary" />;
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
          <button type="button" class="secondary" onClick={() => window.print()}>
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
      <pre id="note-summary-text" class="note-summary" tabIndex={0} aria-label="Summary text">
        {data}
      </pre>
    </Page>
  );
}
