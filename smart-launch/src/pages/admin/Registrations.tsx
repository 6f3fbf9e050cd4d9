import { useState } from 'preact/hooks';
import { registrations, type Registration } from '../../lib/admin';
import { Field, control, errorsOf } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';

/** The EHRs a launch may come from; every change is audited by the service. */
export function Registrations() {
  const { data, error, loading, reload } = useLoad(() => registrations.list(), []);
  return (
    <Page title="EHR registrations">
      {loading && !data && <Loading what="registrations" />}
      <ErrorBox error={error} />
      {data && (
        <div class="table-wrap">
          <table>
            <caption>Registered EHRs</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Issuer (iss)</th><th scope="col">Client</th><th scope="col">May frame the app</th><th scope="col">State</th></tr>
            </thead>
            <tbody>{data.map((r) => <Row key={r.id} r={r} onDone={reload} />)}</tbody>
          </table>
        </div>
      )}
      <NewRegistration onDone={reload} />
    </Page>
  );
}

function Row({ r, onDone }: { r: Registration; onDone(): void }) {
  const action = useAction();
  const toggle = async () => {
    if (await action.run(() => (r.enabled ? registrations.disable(r.id) : registrations.enable(r.id)))) onDone();
  };
  return (
    <tr>
      <th scope="row">{r.name}</th>
      <td><code>{r.issuer}</code></td>
      <td>{r.clientId} ({r.clientAuth})</td>
      <td>{r.frameAncestors.join(', ') || '—'}</td>
      <td>
        {r.enabled ? 'Enabled' : 'Disabled'}{' '}
        <button type="button" class="secondary small" onClick={toggle} disabled={action.busy}>
          {r.enabled ? 'Disable' : 'Enable'}<span class="visually-hidden"> {r.name}</span>
        </button>
        <ErrorBox error={action.error} />
      </td>
    </tr>
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
