import { useState } from 'preact/hooks';
import { ROLES, users, type AppUser } from '../../lib/admin';
import { formatDateTime, label } from '../../lib/format';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';

/** Users and their app roles. A Practitioner is a clinician until an admin says otherwise. */
export function Users() {
  const { data, error, loading, reload } = useLoad(() => users.list(), []);
  return (
    <Page title="Users and roles">
      {loading && !data && <Loading what="users" />}
      <ErrorBox error={error} />
      {data && (
        <div class="table-wrap">
          <table>
            <caption>Everyone who has signed in; roles are this app's own</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">FHIR user</th><th scope="col">Last sign-in</th><th scope="col">Role</th></tr>
            </thead>
            <tbody>
              {data.map((u) => <UserRow key={u.id} user={u} onDone={reload} />)}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function UserRow({ user, onDone }: { user: AppUser; onDone(): void }) {
  const [role, setRole] = useState(user.role);
  const action = useAction();
  const id = `role-${user.id}`;
  const save = async () => {
    if (await action.run(() => users.setRole(user.id, role), `Role of ${user.displayName} is now ${role}.`)) onDone();
  };
  return (
    <tr>
      <th scope="row">{user.displayName}</th>
      <td>{user.fhirUser}</td>
      <td>{formatDateTime(user.lastSignInAt)}</td>
      <td>
        <div class="actions">
          <label class="visually-hidden" for={id}>Role of {user.displayName}</label>
          <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => <option key={r} value={r}>{label(r)}</option>)}
          </select>
          <button type="button" class="secondary small" disabled={action.busy || role === user.role} onClick={save}>
            Save<span class="visually-hidden"> role of {user.displayName}</span>
          </button>
        </div>
        <ErrorBox error={action.error} title="Role not changed" />
        <Notice>{action.done}</Notice>
      </td>
    </tr>
  );
}
