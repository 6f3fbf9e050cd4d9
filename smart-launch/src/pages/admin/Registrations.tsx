import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { registrations } from '../../lib/admin';
import { overridesText, type RegistrationView } from '../../lib/registrations';
import { Field, control, errorsOf } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';
import { CheckButton, CheckReport, useConnectionCheck } from './RegistrationCheck';
import { WriteBackForm } from './WriteBackForm';

/**
 * The EHRs a launch may come from, where each one's write-backs go, and a "check connection" per EHR;
 * every change is audited by the service.
 */
export function Registrations() {
  const { data, error, loading, reload } = useLoad(() => registrations.list() as Promise<RegistrationView[]>, []);
  return (
    <Page title="EHR registrations">
      {loading && !data && <Loading what="registrations" />}
      <ErrorBox error={error} />
      {data?.map((r) => <RegistrationCard key={r.id} r={r} onDone={reload} />)}
      <NewRegistration onDone={reload} />
    </Page>
  );
}

function RegistrationCard({ r, onDone }: { r: RegistrationView; onDone(): void }) {
  const [editing, setEditing] = useState(false);
  const check = useConnectionCheck(r.id);
  const action = useAction();
  const toggle = async () => {
    if (await action.run(() => (r.enabled ? registrations.disable(r.id) : registrations.enable(r.id)))) onDone();
  };
  const w = r.writeBack;
  return (
    <article class="card" aria-labelledby={`reg-${r.id}`}>
      <h2 id={`reg-${r.id}`} class="h3">
        {r.name} <span class={`badge ${r.enabled ? 'done' : ''}`}>{r.enabled ? 'Enabled' : 'Disabled'}</span>
      </h2>
      <div class="grid-2">
        <Facts caption="Launch" rows={[
          ['Issuer (iss)', <code>{r.issuer}</code>],
          ['Client', `${r.clientId} (${r.clientAuth})`],
          ['May frame the app', r.frameAncestors.join(', ') || '—'],
        ]} />
        <Facts caption="Write-back" rows={[
          ['FHIR base', w.fhirBaseUrl ? <code>{w.fhirBaseUrl}</code> : r.issuer.endsWith('/*') ? <strong>Not set: needed for an issuer ending in /*</strong> : 'The issuer'],
          ['Credentials', w.auth === 'user' ? 'The launching user’s token' : `This service’s own (backend services), client ${w.systemClientId ?? r.clientId}`],
          ...(w.auth === 'system'
            ? ([
                ['Token endpoint', w.tokenEndpoint ? <code>{w.tokenEndpoint}</code> : 'Found in the SMART configuration'],
                ['System scopes', r.systemScopes || <strong>None: backend services need them</strong>],
              ] as const)
            : []),
          ['Delivery', overridesText(w.delivery) || 'As the EHR’s CapabilityStatement says'],
        ]} />
      </div>
      <div class="actions">
        <CheckButton check={check} name={r.name} />
        <button type="button" class="secondary" aria-expanded={editing} aria-controls={`wb-${r.id}`} onClick={() => setEditing(!editing)}>
          {editing ? 'Close write-back settings' : 'Edit write-back settings'}<span class="visually-hidden"> of {r.name}</span>
        </button>
        <button type="button" class="secondary" onClick={toggle} disabled={action.busy}>
          {r.enabled ? 'Disable' : 'Enable'}<span class="visually-hidden"> {r.name}</span>
        </button>
      </div>
      <ErrorBox error={action.error} />
      <CheckReport check={check} name={r.name} enabled={r.enabled} />
      <div id={`wb-${r.id}`}>{editing && <WriteBackForm r={r} onDone={onDone} />}</div>
    </article>
  );
}

function Facts({ caption, rows }: { caption: string; rows: readonly (readonly [string, ComponentChildren])[] }) {
  return (
    // The wrapper takes the grid's stretch, so the table's rows keep their own height.
    <div>
      <table>
        <caption>{caption}</caption>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewRegistration({ onDone }: { onDone(): void }) {
  const [f, setF] = useState({ issuer: '', name: '', clientId: '', clientAuth: 'private_key_jwt', clientSecret: '', frameAncestors: '', scopes: '' });
  const action = useAction();
  const errors = errorsOf(action.error);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      issuer: f.issuer, name: f.name, clientId: f.clientId, clientAuth: f.clientAuth,
      ...(f.clientSecret ? { clientSecret: f.clientSecret } : {}),
      ...(f.scopes ? { scopes: f.scopes } : {}),
      frameAncestors: f.frameAncestors.split(/[\s,]+/).filter(Boolean),
    };
    if (await action.run(() => registrations.create(body), 'EHR registered.')) onDone();
  };
  const text = (k: keyof typeof f, labelText: string, hint?: string, type: 'text' | 'password' = 'text') => (
    <Field id={`reg-${k}`} label={labelText} hint={hint} error={errors[k]}>
      {/* Preact types each input type separately; the union is safe here. */}
      <input type={type as 'text'} {...control(`reg-${k}`, errors[k], hint ? `reg-${k}-hint` : undefined)} value={f[k]} onInput={set(k)} autoComplete="off" />
    </Field>
  );
  return (
    <form class="card" onSubmit={submit} aria-labelledby="new-reg" noValidate>
      <h2 id="new-reg">Register an EHR</h2>
      <ErrorBox error={action.error} title="The EHR was not registered" />
      <div class="form-grid">
        {text('issuer', 'FHIR base URL (iss)', 'https://ehr.example.org/fhir; end with /* for a launcher')}
        {text('name', 'Name')}
        {text('clientId', 'Client id')}
        <Field id="reg-clientAuth" label="Client authentication" error={errors.clientAuth}>
          <select {...control('reg-clientAuth', errors.clientAuth)} value={f.clientAuth} onChange={set('clientAuth')}>
            <option value="private_key_jwt">private_key_jwt (our JWKS)</option>
            <option value="client_secret_basic">client_secret_basic</option>
          </select>
        </Field>
        {f.clientAuth === 'client_secret_basic' && text('clientSecret', 'Client secret', undefined, 'password')}
        {text('frameAncestors', 'Origins that may frame the app', 'Comma-separated, e.g. https://ehr.example.org')}
        {text('scopes', 'Scopes (optional)', 'Leave empty for the defaults')}
      </div>
      <button type="submit" class="primary" disabled={action.busy}>Register</button>
      <Notice>{action.done}</Notice>
    </form>
  );
}
