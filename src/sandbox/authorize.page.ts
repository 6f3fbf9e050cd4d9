import { html, page, select } from './html.js';
import type { PersonOption } from './sandbox-directory.service.js';

export interface AuthorizeModel {
  requestId: string;
  clientId: string;
  scopes: string[];
  needsPatient: boolean;
  practitioners: PersonOption[];
  patients: PersonOption[];
  relatedPersons: PersonOption[];
}

const opts = (people: PersonOption[]) => people.map((p) => ({ value: p.ref, label: p.label }));

/** The standalone sign-in: pick who signs in (and a patient when the app asked for one), then approve or deny. */
export function authorizePage(m: AuthorizeModel): string {
  const body = html`<p>The app <code>${m.clientId}</code> asks for access with these scopes:</p>
<ul>${m.scopes.map((s) => html`<li><code>${s}</code></li>`)}</ul>
<form method="post" action="/sandbox/auth/approve">
<input type="hidden" name="request_id" value="${m.requestId}">
${select('user', 'Sign in as', [
    { label: 'Practitioners', options: opts(m.practitioners) },
    { label: 'Patients', options: opts(m.patients) },
    { label: 'Related persons (caregivers)', options: opts(m.relatedPersons) },
  ], m.practitioners[0]?.ref)}
${m.needsPatient ? select('patient', 'Patient for this session', [{ label: 'Patients', options: opts(m.patients) }], m.patients[0]?.ref, 'The app asked to choose a patient (launch/patient).') : ''}
<button class="primary" type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`;
  return page('Sign in to the sandbox EHR', body);
}
