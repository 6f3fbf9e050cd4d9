import { useState } from 'preact/hooks';
import { audit } from '../../lib/admin';
import { formatDateTime } from '../../lib/format';
import { Field, control, errorsOf } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';

/** Audit log search (newest first). Dates are local; the API takes instants with an offset. */
export function Audit() {
  const [form, setForm] = useState({ action: '', actor: '', patient: '', outcome: '', from: '', to: '' });
  const [q, setQ] = useState(form);
  const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
  const { data, error, loading } = useLoad(() => audit.search({ ...q, from: toIso(q.from), to: toIso(q.to), limit: '200' }), [q]);
  const errors = errorsOf(error);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <Page title="Audit log">
      <form onSubmit={(e) => (e.preventDefault(), setQ(form))} aria-label="Search the audit log" noValidate>
        <div class="form-grid">
          <Field id="audit-action" label="Action" hint="e.g. smart.signin" error={errors.action}>
            <input {...control('audit-action', errors.action, 'audit-action-hint')} value={form.action} onInput={set('action')} />
          </Field>
          <Field id="audit-actor" label="Actor" hint="fhirUser, e.g. Practitioner/123" error={errors.actor}>
            <input {...control('audit-actor', errors.actor, 'audit-actor-hint')} value={form.actor} onInput={set('actor')} />
          </Field>
          <Field id="audit-patient" label="Patient id" error={errors.patient}>
            <input {...control('audit-patient', errors.patient)} value={form.patient} onInput={set('patient')} />
          </Field>
          <Field id="audit-outcome" label="Outcome" error={errors.outcome}>
            <select {...control('audit-outcome', errors.outcome)} value={form.outcome} onChange={set('outcome')}>
              <option value="">Any</option><option value="success">Success</option><option value="failure">Failure</option><option value="denied">Denied</option>
            </select>
          </Field>
          <Field id="audit-from" label="From" error={errors.from}>
            <input type="datetime-local" {...control('audit-from', errors.from)} value={form.from} onInput={set('from')} />
          </Field>
          <Field id="audit-to" label="To" error={errors.to}>
            <input type="datetime-local" {...control('audit-to', errors.to)} value={form.to} onInput={set('to')} />
          </Field>
        </div>
        <button type="submit" class="primary">Search</button>
      </form>
      <ErrorBox error={error} title="The search failed" />
      {loading && <Loading what="audit events" />}
      {data && (
        <div class="table-wrap">
          <table>
            <caption>{data.length} events, newest first</caption>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">Patient</th><th scope="col">Resource</th></tr>
            </thead>
            <tbody>
              {data.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.occurredAt)}</td>
                  <td>{e.action}</td>
                  <td><span class={`badge ${e.outcome}`}>{e.outcome}</span></td>
                  <td>{e.actor ?? '—'}{e.actorRole ? ` (${e.actorRole})` : ''}</td>
                  <td>{e.patientId ?? '—'}</td>
                  <td>{e.resourceType ? `${e.resourceType}/${e.resourceId ?? ''}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
