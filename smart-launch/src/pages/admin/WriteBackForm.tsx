import { useState } from 'preact/hooks';
import { checkUrl, writeBack, type DeliveryOverrides, type RegistrationView, type WriteBackPatch } from '../../lib/registrations';
import { Field, control, errorsOf } from '../../ui/Field';
import { ErrorBox, Notice } from '../../ui/Status';
import { useAction } from '../../ui/use-load';

interface Form {
  fhirBaseUrl: string;
  tokenEndpoint: string;
  systemClientId: string;
  systemScopes: string;
  writeBackAuth: 'system' | 'user';
  mode: '' | 'transaction' | 'individual';
  maxEntries: string;
  conditionalWrites: '' | 'yes' | 'no';
}

function formOf(r: RegistrationView): Form {
  const w = r.writeBack;
  return {
    fhirBaseUrl: w.fhirBaseUrl ?? '',
    tokenEndpoint: w.tokenEndpoint ?? '',
    systemClientId: w.systemClientId ?? '',
    systemScopes: r.systemScopes ?? '',
    writeBackAuth: w.auth,
    mode: w.delivery.mode ?? '',
    maxEntries: w.delivery.maxEntries ? String(w.delivery.maxEntries) : '',
    conditionalWrites: w.delivery.conditionalWrites === undefined ? '' : w.delivery.conditionalWrites ? 'yes' : 'no',
  };
}

function deliveryOf(f: Form): DeliveryOverrides {
  return {
    ...(f.mode ? { mode: f.mode } : {}),
    ...(f.maxEntries ? { maxEntries: Number(f.maxEntries) } : {}),
    ...(f.conditionalWrites ? { conditionalWrites: f.conditionalWrites === 'yes' } : {}),
  };
}

/** Only what changed, so the audit log names the fields the admin touched. */
function patchOf(r: RegistrationView, f: Form): WriteBackPatch {
  const before = formOf(r);
  const patch: WriteBackPatch = {};
  const text = (k: 'fhirBaseUrl' | 'tokenEndpoint' | 'systemClientId' | 'systemScopes') => {
    if (f[k].trim() !== before[k]) patch[k] = f[k].trim() || null;
  };
  text('fhirBaseUrl');
  text('tokenEndpoint');
  text('systemClientId');
  text('systemScopes');
  if (f.writeBackAuth !== before.writeBackAuth) patch.writeBackAuth = f.writeBackAuth;
  if (JSON.stringify(deliveryOf(f)) !== JSON.stringify(deliveryOf(before))) patch.delivery = deliveryOf(f);
  return patch;
}

/** Before sending: what an admin most often mistypes. The service checks everything again. */
function validate(r: RegistrationView, f: Form): Record<string, string> {
  const errors: Record<string, string> = {};
  const base = checkUrl(f.fhirBaseUrl.trim());
  if (base) errors.fhirBaseUrl = base;
  else if (!f.fhirBaseUrl.trim() && r.issuer.endsWith('/*')) errors.fhirBaseUrl = 'This issuer matches many EHRs: name the FHIR base write-backs go to.';
  const token = checkUrl(f.tokenEndpoint.trim());
  if (token) errors.tokenEndpoint = token;
  if (f.maxEntries && !/^\d+$/.test(f.maxEntries)) errors['delivery.maxEntries'] = 'Enter a whole number of entries, or leave it empty for no limit.';
  else if (f.maxEntries && (Number(f.maxEntries) < 1 || Number(f.maxEntries) > 1000)) errors['delivery.maxEntries'] = 'Between 1 and 1000 entries.';
  return errors;
}

/**
 * Where and as whom this registration's write-backs go, and what it forces over the EHR's CapabilityStatement.
 * Empty fields mean the default, named in each hint.
 */
export function WriteBackForm({ r, onDone }: { r: RegistrationView; onDone(): void }) {
  const [f, setF] = useState<Form>(() => formOf(r));
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction();
  const errors = { ...errorsOf(action.error), ...local };
  const p = `wb-${r.id}`;
  const set = (k: keyof Form) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    const found = validate(r, f);
    setLocal(found);
    action.setError(null);
    if (Object.keys(found).length) return;
    const patch = patchOf(r, f);
    if (!Object.keys(patch).length) {
      await action.run(async () => undefined, 'Nothing changed.');
      return;
    }
    if (await action.run(() => writeBack.update(r.id, patch), `Write-back settings of ${r.name} saved. Check the connection to try them.`)) onDone();
  };
  const text = (k: 'fhirBaseUrl' | 'tokenEndpoint' | 'systemClientId' | 'systemScopes', label: string, hint: string) => (
    <Field id={`${p}-${k}`} label={label} hint={hint} error={errors[k]}>
      <input type="text" {...control(`${p}-${k}`, errors[k], `${p}-${k}-hint`)} value={f[k]} onInput={set(k)} autoComplete="off" spellcheck={false} />
    </Field>
  );
  const max = `${p}-maxEntries`;
  return (
    <form class="card" onSubmit={submit} aria-labelledby={`${p}-h`} noValidate>
      <h3 id={`${p}-h`}>Write-back settings of {r.name}</h3>
      {Object.keys(local).length > 0 && <p class="field-error" role="alert">Some settings need correcting; each is marked below.</p>}
      <ErrorBox error={action.error} title="The settings were not saved" />
      <div class="form-grid">
        {text('fhirBaseUrl', 'FHIR base for write-back', r.issuer.endsWith('/*') ? 'Required: this issuer matches many EHRs.' : `Empty: the issuer, ${r.issuer}`)}
        {text('tokenEndpoint', 'Token endpoint', 'Empty: found in the FHIR base’s SMART configuration')}
        {text('systemClientId', 'Backend-services client id', `Empty: the launch client, ${r.clientId}`)}
        {text('systemScopes', 'System scopes', 'Backend services need them, e.g. system/Task.cru system/Provenance.cr')}
        <Field id={`${p}-writeBackAuth`} label="Whose credentials deliver write-backs" hint="The user’s token where the EHR has no backend services" error={errors.writeBackAuth}>
          <select {...control(`${p}-writeBackAuth`, errors.writeBackAuth, `${p}-writeBackAuth-hint`)} value={f.writeBackAuth} onChange={set('writeBackAuth')}>
            <option value="system">This service (backend services)</option>
            <option value="user">The launching user’s token</option>
          </select>
        </Field>
      </div>
      <fieldset>
        <legend>Delivery: what this registration forces over the EHR’s CapabilityStatement</legend>
        <div class="form-grid">
          <Field id={`${p}-mode`} label="Delivery mode" error={errors['delivery.mode']}>
            <select {...control(`${p}-mode`, errors['delivery.mode'])} value={f.mode} onChange={set('mode')}>
              <option value="">As the EHR says</option>
              <option value="transaction">Transactions</option>
              <option value="individual">One request per resource</option>
            </select>
          </Field>
          <Field id={max} label="Largest Bundle (entries)" hint="Empty: no limit beyond what the EHR refuses" error={errors['delivery.maxEntries']}>
            <input type="text" inputMode="numeric" {...control(max, errors['delivery.maxEntries'], `${max}-hint`)} value={f.maxEntries} onInput={set('maxEntries')} autoComplete="off" />
          </Field>
          <Field id={`${p}-conditional`} label="Conditional writes" hint="Without them, each write searches by our identifier first" error={errors['delivery.conditionalWrites']}>
            <select {...control(`${p}-conditional`, errors['delivery.conditionalWrites'], `${p}-conditional-hint`)} value={f.conditionalWrites} onChange={set('conditionalWrites')}>
              <option value="">As the EHR says</option>
              <option value="yes">Yes: the EHR supports them</option>
              <option value="no">No: never use them</option>
            </select>
          </Field>
        </div>
      </fieldset>
      <button type="submit" class="primary" disabled={action.busy}>Save write-back settings<span class="visually-hidden"> of {r.name}</span></button>
      <Notice>{action.done}</Notice>
    </form>
  );
}
