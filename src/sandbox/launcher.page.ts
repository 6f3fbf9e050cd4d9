import { html, page, select, type Option } from './html.js';
import type { PersonOption } from './sandbox-directory.service.js';

export interface LauncherModel {
  issuer: string;
  defaultApp: string;
  practitioners: PersonOption[];
  patients: PersonOption[];
  encounters: PersonOption[];
  defaultUser: string;
  defaultPatient: string;
}

const options = (people: PersonOption[]): Option[] => people.map((p) => ({ value: p.ref, label: p.label }));

/** The launcher: choose a user and a patient, then start an EHR launch of the app (a GET form, no script). */
export function launcherPage(m: LauncherModel): string {
  const body = html`<p>Starts an <strong>EHR launch</strong> of a SMART app against this sandbox, as an EHR would:
the app is opened with <code>iss</code> and <code>launch</code>, and the sandbox approves its authorization
request without a sign-in page.</p>
<form method="get" action="/sandbox/launch">
${select('user', 'Signed-in user', [{ label: 'Practitioners', options: options(m.practitioners) }], m.defaultUser, 'The role the app sees for the person launching it.')}
${select('patient', 'Patient in context', [{ label: 'Patients', options: options(m.patients) }], m.defaultPatient)}
${select('encounter', 'Encounter in context', [
    { label: 'None', options: [{ value: '', label: 'No encounter' }] },
    { label: 'Encounters', options: options(m.encounters) },
  ], '', 'An encounter must belong to the chosen patient.')}
<label for="fhirContext">Form to open (optional <code>fhirContext</code>)</label>
<p class="hint" id="fhirContext-hint">A Questionnaire canonical (<code>http://…/Questionnaire/phq-9|1.0.0</code>) or a <code>Task/…</code> that asks for one: the app opens that form for the patient (SMART App Launch 2.2).</p>
<input id="fhirContext" name="fhirContext" type="text" aria-describedby="fhirContext-hint">
<label for="app">App launch URL</label>
<input id="app" name="app" type="url" value="${m.defaultApp}" required>
<button class="primary" type="submit">Launch app</button>
</form>
<h2>For standalone launches and API clients</h2>
<p>FHIR base URL (<code>iss</code>): <code>${m.issuer}</code></p>
<p>SMART configuration: <code>${m.issuer}/.well-known/smart-configuration</code></p>`;
  return page('Launch a SMART app', body);
}
