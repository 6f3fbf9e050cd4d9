import { useState } from 'preact/hooks';
import { label } from '../../lib/format';
import { pendingUsers, practitioners, STAFF_ROLES, type PractitionerChoice } from '../../lib/users';
import { Field, control } from '../../ui/Field';
import { ErrorBox, Notice } from '../../ui/Status';
import { useAction } from '../../ui/use-load';

/**
 * Gives a practitioner a role before they ever sign in: search the EHR's Practitioners by name (with the
 * admin's own EHR access), pick one, choose the role. Their first launch picks it up.
 */
export function RoleBeforeSignIn({ onDone }: { onDone(): void }) {
  const [name, setName] = useState('');
  const [found, setFound] = useState<PractitionerChoice[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [picked, setPicked] = useState('');
  const [role, setRole] = useState<string>('coordinator');
  const search = useAction();
  const give = useAction();

  const run = async (e?: Event) => {
    e?.preventDefault();
    const page = await search.run(() => practitioners.search({ name: name.trim() || undefined }));
    if (!page) return;
    setFound(page.items);
    setNext(page.next);
    setPicked('');
  };
  const more = async () => {
    const page = next ? await search.run(() => practitioners.search({ cursor: next })) : undefined;
    if (!page) return;
    setFound([...(found ?? []), ...page.items]);
    setNext(page.next);
  };
  const choice = found?.find((p) => p.fhirUser === picked);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!choice) return;
    const who = choice.name ?? 'The practitioner';
    if (await give.run(() => pendingUsers.create(choice.fhirUser, role), `${who} will be ${label(role).toLowerCase()} from their first sign-in.`)) {
      setFound(found?.map((p) => (p.fhirUser === choice.fhirUser ? { ...p, user: { id: '', role, pending: true } } : p)) ?? null);
      setPicked('');
      onDone();
    }
  };

  return (
    <section class="card" aria-labelledby="pending-role">
      <h2 id="pending-role">Give a role before the first sign-in</h2>
      <p>Find the person among the EHR's practitioners; the role waits for their first launch of the app.</p>
      <form onSubmit={run} class="form-grid" role="search" aria-label="Practitioners">
        <Field id="practitioner-name" label="Practitioner's name" hint="A first or last name, or its beginning">
          <input {...control('practitioner-name', undefined, 'practitioner-name-hint')} value={name} onInput={(e) => setName(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <button type="submit" class="secondary" disabled={search.busy}>Search practitioners</button>
      </form>
      <ErrorBox error={search.error} title="The EHR's practitioners could not be searched" />
      {found && (
        <form onSubmit={submit}>
          <fieldset>
            <legend>Practitioners found ({found.length}{next ? '+' : ''})</legend>
            {found.length === 0 && <p>No practitioner of that name in the EHR.</p>}
            {found.map((p) => {
              const id = `pick-${p.fhirUser.replace(/[^A-Za-z0-9-]/g, '-')}`;
              const has = p.user ? ` — already ${label(p.user.role).toLowerCase()}${p.user.pending ? ' (not signed in yet)' : ''}` : '';
              return (
                <label key={p.fhirUser} class="check" for={id}>
                  <input type="radio" id={id} name="practitioner" value={p.fhirUser} checked={picked === p.fhirUser} disabled={!!p.user} onChange={() => setPicked(p.fhirUser)} />
                  <span>
                    {p.name ?? 'Name not recorded in the EHR'}
                    {p.qualification ? `, ${p.qualification}` : ''}
                    {has}
                  </span>
                </label>
              );
            })}
            {next && (
              <button type="button" class="secondary small" onClick={more} disabled={search.busy}>
                More practitioners
              </button>
            )}
          </fieldset>
          <div class="actions">
            <label for="pending-role-select">Role</label>
            <select id="pending-role-select" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {label(r)}
                </option>
              ))}
            </select>
            <button type="submit" class="primary" disabled={give.busy || !choice}>
              Give role{choice?.name ? <span class="visually-hidden"> to {choice.name}</span> : null}
            </button>
          </div>
          <ErrorBox error={give.error} title="No role given" />
        </form>
      )}
      <Notice>{give.done}</Notice>
    </section>
  );
}
