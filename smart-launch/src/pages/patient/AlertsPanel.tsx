import { useState } from 'preact/hooks';
import { api, query } from '../../lib/api';
import { useApp } from '../../lib/context';
import { formatDateTime, label } from '../../lib/format';
import type { AlertView } from '../../lib/responses';
import { Field, control, errorsOf } from '../../ui/Field';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';

// Open safety alerts (for example PHQ-9 item 9 above 0) stay at the top of the patient view until a
// clinician records what was done; the follow-up closes the alert and its EHR Task.

export const FOLLOW_UP_ACTIONS = ['risk-assessed', 'safety-plan-updated', 'referred-to-crisis-service', 'emergency-services-called', 'no-further-action', 'other'] as const;

export function AlertsPanel({ patientId, refreshKey }: { patientId: string; refreshKey: number }) {
  const { data, error, loading, reload } = useLoad(() => api.get<AlertView[]>(`/api/alerts${query({ patient: patientId, status: 'open' })}`), [patientId, refreshKey]);
  if (loading && !data) return <Loading what="safety alerts" />;
  if (error) return <ErrorBox error={error} title="Safety alerts could not be loaded" />;
  if (!data?.length) return null;
  return (
    <section aria-labelledby="alerts-heading" class="card alert-card">
      <h2 id="alerts-heading">Open safety alerts ({data.length})</h2>
      {data.map((a) => (
        <AlertItem key={a.id} alert={a} onDone={reload} />
      ))}
    </section>
  );
}

function AlertItem({ alert, onDone }: { alert: AlertView; onDone(): void }) {
  const ctx = useApp();
  const [action, setAction] = useState<string>('risk-assessed');
  const [note, setNote] = useState('');
  const run = useAction();
  const errors = errorsOf(run.error);
  const id = `alert-${alert.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await run.run(() => api.post(`/api/alerts/${alert.id}/follow-up`, note ? { action, note } : { action }), 'Follow-up recorded.')) onDone();
  };
  return (
    <article aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>
        <span class={`badge ${alert.severity}`}>{label(alert.severity)}</span> {alert.message}
      </h3>
      <p>Raised {formatDateTime(alert.raisedAt)}</p>
      {ctx.user.role === 'clinician' && (
        <form onSubmit={submit} noValidate>
          <ErrorBox error={run.error} title="The follow-up was not recorded" />
          <div class="form-grid">
            <Field id={`${id}-action`} label="What was done" error={errors.action}>
              <select {...control(`${id}-action`, errors.action)} value={action} onChange={(e) => setAction(e.currentTarget.value)}>
                {FOLLOW_UP_ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {label(a)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${id}-note`} label="Note (required for Other)" error={errors.note}>
              <input {...control(`${id}-note`, errors.note)} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            </Field>
          </div>
          <button type="submit" class="primary" disabled={run.busy}>
            Record follow-up
          </button>
          <Notice>{run.done}</Notice>
        </form>
      )}
    </article>
  );
}
