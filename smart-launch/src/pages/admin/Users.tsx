import { useState } from 'preact/hooks';
import { rolesFor, users, type AppUser } from '../../lib/admin';
import { formatDateTime, label } from '../../lib/format';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';
import { kindOf } from './audit-words';
import { RoleBeforeSignIn } from './RoleBeforeSignIn';

/** The users list as the service gives it: who is the admin themself, who has not signed in yet. */
type UserRowData = AppUser & { pending?: boolean; you?: boolean };

/**
 * Users and their app roles. A Practitioner is a clinician until an admin says otherwise; an admin can also give
 * a role before the person's first sign-in. A role change ends the person's open sessions.
 */
export function Users() {
  const { data, error, loading, reload } = useLoad(() => users.list() as Promise<UserRowData[]>, []);
  return (
    <Page title="Users and roles">
      {loading && !data && <Loading what="users" />}
      <ErrorBox error={error} />
      {data && (
        <table class="stack">
          <caption>Everyone who has signed in or has a role waiting; roles are this app's own</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">In the EHR</th><th scope="col">Last sign-in</th><th scope="col">Role</th></tr>
          </thead>
          <tbody>
            {data.map((u) => <UserRow key={u.id} user={u} onDone={reload} />)}
          </tbody>
        </table>
      )}
      <RoleBeforeSignIn onDone={reload} />
    </Page>
  );
}

function UserRow({ user, onDone }: { user: UserRowData; onDone(): void }) {
  const [role, setRole] = useState(user.role);
  const action = useAction();
  const id = `role-${user.id}`;
  const roles = rolesFor(user.fhirUser);
  const save = async () => {
    const done = `Role of ${user.displayName} is now ${label(role).toLowerCase()}. Any session they had open has ended; they sign in again.`;
    if (await action.run(() => users.setRole(user.id, role), done)) onDone();
  };
  return (
    <tr>
      <th scope="row">{user.displayName}{user.you ? ' (you)' : ''}</th>
      <td data-label="In the EHR">{kindOf(user.fhirUser)}</td>
      <td data-label="Last sign-in">{user.pending ? 'Not signed in yet: the role waits for the first sign-in' : formatDateTime(user.lastSignInAt)}</td>
      <td data-label="Role">
        {user.you ? (
          <span>{label(user.role)} (another admin can change your own role)</span>
        ) : roles.length === 0 ? (
          <span>{label(user.role)} (from their EHR record; not changed here)</span>
        ) : (
          <div class="actions">
            <label class="visually-hidden" for={id}>Role of {user.displayName}</label>
            <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {roles.map((r) => <option key={r} value={r}>{label(r)}</option>)}
            </select>
            <button type="button" class="secondary small" disabled={action.busy || role === user.role} onClick={save}>
              Save<span class="visually-hidden"> role of {user.displayName}</span>
            </button>
          </div>
        )}
        <ErrorBox error={action.error} title="Role not changed" />
        <Notice>{action.done}</Notice>
      </td>
    </tr>
  );
}
