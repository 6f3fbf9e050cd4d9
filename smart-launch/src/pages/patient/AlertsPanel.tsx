import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../../lib/context';
import { formatDateTime, label } from '../../lib/format';
import { alerts, type AlertView } from '../../lib/responses';
import { Field, control, errorsOf } from '../../ui/Field';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';

// Open safety alerts (for example PHQ-9 item 9 above 0) stay at the top of the patient view until a
// clinician records what was done and why; the follow-up closes the alert and its EHR Task(s). Recording it
// takes two steps, so a slip of the hand never closes a suicide-risk alert.

export const FOLLOW_UP_ACTIONS = ['risk-assessed', 'safety-plan-updated', 'referred-to-crisis-service', 'emergency-services-called', 'no-further-action', 'other'] as const;

export function AlertsPanel({ patientId, refreshKey }: { patientId: string; refreshKey: number }) {
  const { data, error, loading, reload } = useLoad(() => alerts.list({ patient: patientId, status: 'open' }), [patientId, refreshKey]);
  const [done, setDone] = useState('');
  if (loading && !data) return <Loading what="safety alerts" />;
  if (error) return <ErrorBox error={error} title="Safety alerts could not be loaded" />;
  if (!data?.length) return done ? <Notice>{done}</Notice> : null;
  return (
    <section aria-labelledby="alerts-heading" class="card alert-card">
      <h2 id="alerts-heading">Open safety alerts ({data.length})</h2>
      <Notice>{done}</Notice>
      {data.map((a) => (
        <AlertItem
          key={a.id}
          alert={a}
          onDone={() => {
            setDone('Follow-up recorded.');
            void reload();
          }}
        />
      ))}
    </section>
  );
}

/** Who the alert is about and where it stands, in words (never a bare reference). */
export function AlertFacts({ alert }: { alert: AlertView }) {
  return (
    <p>
      Raised {formatDateTime(alert.raisedAt)}
      {alert.aboutCaregiver ? ' · about the caregiver, not the patient' : ''}
      {alert.notYetSubmitted ? ' · answers not yet submitted' : ''}
      {alert.escalatedAt ? ` · escalated ${formatDateTime(alert.escalatedAt)} to ${alert.escalatedTo ? "the program's lead clinician" : "the EHR's work queue"}` : ''}
    </p>
  );
}

function AlertItem({ alert, onDone }: { alert: AlertView; onDone(): void }) {
  const ctx = useApp();
  const [action, setAction] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const run = useAction();
  const errors = { ...errorsOf(run.error), ...missing };
  const id = `alert-${alert.id}`;
  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);

  // Step 1: what was done and a note, both required (the server refuses either missing too).
  const review = (e: Event) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!action) problems.action = 'Choose what was done.';
    if (!note.trim()) problems.note = 'Write what was done and what you found.';
    setMissing(problems);
    run.setError(null);
    if (!Object.keys(problems).length) setConfirming(true);
  };
  // Step 2: confirmed, then sent.
  const confirm = async () => {
    if (await run.run(() => alerts.followUp(alert.id, { action, note: note.trim() }))) onDone();
    else setConfirming(false);
  };

  return (
    <article aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>
        <span class={`badge ${alert.severity}`}>{label(alert.severity)}</span>
        {alert.escalated && <span class="badge urgent">Escalated</span>} {alert.message}
      </h3>
      <AlertFacts alert={alert} />
      {ctx.user.role === 'clinician' && !confirming && (
        <form onSubmit={review} noValidate aria-label="Record follow-up">
          <ErrorBox error={run.error} title="The follow-up was not recorded" />
          <div class="form-grid">
            <Field id={`${id}-action`} label="What was done" error={errors.action}>
              <select {...control(`${id}-action`, errors.action)} required value={action} onChange={(e) => setAction(e.currentTarget.value)}>
                <option value="">Choose…</option>
                {FOLLOW_UP_ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {label(a)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${id}-note`} label="Note: what was done and found (required)" error={errors.note}>
              <textarea {...control(`${id}-note`, errors.note)} required rows={3} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            </Field>
          </div>
          <button type="submit" class="primary">
            Record follow-up…
          </button>
        </form>
      )}
      {ctx.user.role === 'clinician' && confirming && (
        <section role="group" aria-labelledby={`${id}-confirm`} class="card confirm-step">
          <h4 id={`${id}-confirm`} ref={confirmHeading} tabIndex={-1}>
            Confirm the follow-up
          </h4>
          <p>
            Record “{label(action)}” for this alert? This closes the alert and completes its task in the EHR; it cannot be undone.
          </p>
          <p>Note: {note.trim()}</p>
          <div class="actions">
            <button type="button" class="primary" disabled={run.busy} onClick={confirm}>
              Confirm and record
            </button>
            <button type="button" class="secondary" disabled={run.busy} onClick={() => setConfirming(false)}>
              Go back and edit
            </button>
          </div>
        </section>
      )}
    </article>
  );
}
