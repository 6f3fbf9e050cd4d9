import { useState } from 'preact/hooks';
import { audit, users, type AppUser, type AuditEvent } from '../../lib/admin';
import { count, formatDateTime, label } from '../../lib/format';
import { Field, control, errorsOf } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { ACTIONS, actionText, resourceText } from './audit-words';

// Audit log search (newest first), in words: who (by the name they signed in with), what, about which patient,
// when (in the clinic's time). Admins never read patient records from the EHR, so a patient is named only when
// they have signed in to the app themself; the others can still be followed by their EHR id in the search.

interface Filters { action: string; actor: string; patient: string; outcome: string; from: string; to: string }
const EMPTY: Filters = { action: '', actor: '', patient: '', outcome: '', from: '', to: '' };

/** The app's users by their EHR reference: the names the audit log's references stand for. */
function directory(list: AppUser[]) {
  const byRef = new Map<string, AppUser>();
  for (const u of list) if (!byRef.has(u.fhirUser)) byRef.set(u.fhirUser, u);
  return { byRef, byId: new Map(list.map((u) => [u.id, u])) };
}

export function Audit() {
  const [form, setForm] = useState(EMPTY);
  const [q, setQ] = useState(EMPTY);
  const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
  const { data, error, loading } = useLoad(() => audit.search({ ...q, from: toIso(q.from), to: toIso(q.to), limit: '200' }), [q]);
  const people = useLoad(() => users.list(), []);
  const dir = directory(people.data ?? []);
  const errors = errorsOf(error);
  const set = (k: keyof Filters) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const onlyPatient = (patient: string) => {
    const next = { ...form, patient };
    setForm(next);
    setQ(next);
  };
  const staff = (people.data ?? []).filter((u) => !/^(Patient|RelatedPerson)\//.test(u.fhirUser));
  const others = (people.data ?? []).filter((u) => /^(Patient|RelatedPerson)\//.test(u.fhirUser));
  return (
    <Page title="Audit log">
      <form onSubmit={(e) => (e.preventDefault(), setQ(form))} aria-label="Search the audit log" noValidate>
        <div class="form-grid">
          <Field id="audit-action" label="Action" hint="Choose from the list or type a code, e.g. smart.signin" error={errors.action}>
            <input {...control('audit-action', errors.action, 'audit-action-hint')} list="audit-actions" value={form.action} onInput={set('action')} autoComplete="off" />
          </Field>
          <datalist id="audit-actions">
            {Object.entries(ACTIONS).map(([code, text]) => (
              <option key={code} value={code}>
                {text}
              </option>
            ))}
          </datalist>
          <Field id="audit-actor" label="Who" error={errors.actor}>
            <select {...control('audit-actor', errors.actor)} value={form.actor} onChange={set('actor')}>
              <option value="">Anyone</option>
              <option value="system">The service itself</option>
              <optgroup label="Staff">
                {staff.map((u) => <option key={u.id} value={u.fhirUser}>{u.displayName} ({label(u.role)})</option>)}
              </optgroup>
              <optgroup label="Patients and caregivers">
                {others.map((u) => <option key={u.id} value={u.fhirUser}>{u.displayName} ({label(u.role)})</option>)}
              </optgroup>
            </select>
          </Field>
          <Field id="audit-patient" label="Patient's EHR id" hint="As the EHR shows it; empty for every patient" error={errors.patient}>
            <input {...control('audit-patient', errors.patient, 'audit-patient-hint')} value={form.patient} onInput={set('patient')} autoComplete="off" />
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
        <div class="actions">
          <button type="submit" class="primary">Search</button>
          {Object.values(q).some(Boolean) && (
            <button type="button" class="secondary" onClick={() => (setForm(EMPTY), setQ(EMPTY))}>
              Show every event
            </button>
          )}
        </div>
      </form>
      <ErrorBox error={error} title="The search failed" />
      <ErrorBox error={people.error} title="Names of the app's users could not be loaded" />
      {loading && <Loading what="audit events" />}
      {data && (
        <table class="stack audit-table">
          <caption>{count(data.length, 'event')}, newest first{q.patient ? ', for one patient' : ''}</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Outcome</th><th scope="col">Who</th><th scope="col">Patient</th><th scope="col">About</th></tr>
          </thead>
          <tbody>
            {data.map((e) => <AuditRow key={e.id} e={e} dir={dir} onlyPatient={onlyPatient} filtered={!!q.patient} />)}
          </tbody>
        </table>
      )}
    </Page>
  );
}

function AuditRow({ e, dir, onlyPatient, filtered }: { e: AuditEvent; dir: ReturnType<typeof directory>; onlyPatient(id: string): void; filtered: boolean }) {
  const actor = e.actor ? dir.byRef.get(e.actor) : undefined;
  const patientId = e.patientId?.replace(/^Patient\//, '') ?? null;
  const patient = patientId ? dir.byRef.get(`Patient/${patientId}`) : undefined;
  const aboutUser = e.resourceType === 'AppUser' && e.resourceId ? dir.byId.get(e.resourceId) : undefined;
  return (
    <tr>
      <th scope="row">{formatDateTime(e.occurredAt)}</th>
      <td data-label="What">
        {actionText(e.action)} <span class="hint code">{e.action}</span>
      </td>
      <td data-label="Outcome"><span class={`badge ${e.outcome}`}>{label(e.outcome)}</span></td>
      <td data-label="Who">
        {actor ? actor.displayName : e.actor === 'system' ? 'The service itself' : e.actor ? <Unnamed why="not a user of this app" /> : '—'}
        {e.actorRole ? ` (${label(e.actorRole)})` : ''}
      </td>
      <td data-label="Patient">
        {!patientId ? '—' : patient ? patient.displayName : <Unnamed why="admins do not read patient records" />}
        {patientId && !filtered && (
          <>
            {' '}
            <button type="button" class="secondary small" onClick={() => onlyPatient(patientId)}>
              Only this patient<span class="visually-hidden">'s events</span>
            </button>
          </>
        )}
      </td>
      <td data-label="About">
        {resourceText(e.resourceType)}
        {aboutUser ? `: ${aboutUser.displayName}` : ''}
      </td>
    </tr>
  );
}

function Unnamed({ why }: { why: string }) {
  return (
    <span class="unavailable">
      Name unavailable <span class="hint">({why})</span>
    </span>
  );
}
