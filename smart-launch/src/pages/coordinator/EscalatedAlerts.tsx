import { useApp } from '../../lib/context';
import { formatDateTime, label } from '../../lib/format';
import { href } from '../../lib/router';
import { alerts, type AlertView } from '../../lib/responses';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { PatientName } from './PatientName';

// Safety alerts nobody followed up within the clinic's time: escalated to the program's lead clinician (a second
// EHR Task). The coordinator sees them here and on the patient's referral card, and can chase the clinicians;
// following up stays a clinician's act, on the patient view.

function whereTo(a: AlertView): string {
  return a.escalatedTo ? "the program's lead clinician" : "the EHR's work queue (no lead clinician is named for the program)";
}

export function EscalatedAlerts() {
  // Opened from a patient's chart, only that patient's alerts are shown under their banner.
  const patient = useApp().patient?.id;
  const { data, error, loading } = useLoad(() => alerts.list({ escalated: true, patient }), [patient]);
  const open = (data ?? []).filter((a) => a.status === 'open');
  const closed = (data ?? []).filter((a) => a.status !== 'open');
  return (
    <Page title="Escalated safety alerts">
      {loading && !data && <Loading what="escalated safety alerts" />}
      <ErrorBox error={error} title="Escalated safety alerts could not be loaded" />
      {data && (
        <>
          <section aria-labelledby="escalated-open">
            <h2 id="escalated-open">Waiting for follow-up ({open.length})</h2>
            {open.length === 0 && <p>No escalated alert is waiting.</p>}
            {open.map((a) => (
              <EscalatedAlertCard key={a.id} alert={a} />
            ))}
          </section>
          {closed.length > 0 && (
            <section aria-labelledby="escalated-closed">
              <h2 id="escalated-closed">Followed up ({closed.length})</h2>
              {closed.map((a) => (
                <EscalatedAlertCard key={a.id} alert={a} />
              ))}
            </section>
          )}
        </>
      )}
    </Page>
  );
}

function EscalatedAlertCard({ alert: a }: { alert: AlertView }) {
  return (
    <article class={`card ${a.status === 'open' ? 'alert-card' : ''}`} aria-labelledby={`esc-${a.id}`}>
      <h3 id={`esc-${a.id}`}>
        <PatientName id={a.patientId} />
        {a.aboutCaregiver ? ' — about their caregiver' : ''}
      </h3>
      <p>
        <span class={`badge ${a.severity}`}>{label(a.severity)}</span> {a.message}
      </p>
      <p>
        Raised {formatDateTime(a.raisedAt)} · escalated {formatDateTime(a.escalatedAt)} to {whereTo(a)}
        {a.followedUpAt ? ` · followed up ${formatDateTime(a.followedUpAt)} (${label(a.followUpAction)})` : ''}
      </p>
      <p>
        <a href={href(`patient/${a.patientId}`)}>Open patient</a>
      </p>
    </article>
  );
}

/** On a patient's card elsewhere (the referral worklist): their escalated alerts still waiting, said plainly. */
export function EscalatedAlertNotice({ alerts: list }: { alerts: AlertView[] }) {
  if (!list.length) return null;
  return (
    <div class="error-summary" role="note" aria-label="Escalated safety alert">
      <p class="error-title">
        {list.length === 1 ? 'Escalated safety alert' : `${list.length} escalated safety alerts`}: not followed up since {formatDateTime(list[list.length - 1].raisedAt)}
        {list.some((a) => a.aboutCaregiver) ? ' (about the caregiver)' : ''}.
      </p>
      <p>
        Escalated to {whereTo(list[0])}. <a href={href('alerts')}>See escalated alerts</a>
      </p>
    </div>
  );
}
