/**
 * Which scopes a launch asks for. We ask only for what the user's workflow needs (SMART v2 syntax by
 * default; v1 equivalents for an EHR that advertises only v1).
 */
export const WORKFLOWS = ['ehr', 'coordinator', 'quality', 'admin', 'patient', 'caregiver'] as const;
export type Workflow = (typeof WORKFLOWS)[number];

const IDENTITY = ['openid', 'fhirUser'];

const CLINICAL_PATIENT = [
  'patient/Patient.r',
  'patient/RelatedPerson.rs',
  'patient/QuestionnaireResponse.cru',
  'patient/Observation.cr',
  'patient/ServiceRequest.cr',
  'patient/Task.cru',
  'patient/CarePlan.cru',
  'patient/Appointment.cru',
  // Read to pre-fill a form's `encounter` launch context (SDC initialExpression).
  'patient/Encounter.r',
  // The form an EHR launches the app on (SMART 2.2 fhirContext: a Questionnaire, or a Task's focus) is read from
  // the EHR; Questionnaires are not in a patient's compartment, hence user/.
  'user/Questionnaire.rs',
  // Searched too: the staff directory (a facilitator, a role given before a first sign-in).
  'user/Practitioner.rs',
];

const WORKFLOW_SCOPES: Record<Workflow, string[]> = {
  ehr: ['launch', ...IDENTITY, 'offline_access', ...CLINICAL_PATIENT],
  coordinator: [
    ...IDENTITY,
    'offline_access',
    'user/Patient.rs',
    'user/RelatedPerson.rs',
    'user/ServiceRequest.cr',
    'user/Task.cru',
    'user/CarePlan.cru',
    'user/Appointment.cru',
    'user/Practitioner.rs',
  ],
  // Quality and admin work never touches patient data in the EHR: identity only, and for an admin the staff
  // directory (Practitioners, to give roles before a first sign-in).
  quality: [...IDENTITY],
  admin: [...IDENTITY, 'user/Practitioner.rs'],
  patient: ['launch/patient', ...IDENTITY, 'offline_access', 'patient/Patient.r', 'patient/QuestionnaireResponse.cru', 'patient/Task.rs', 'user/Questionnaire.rs'],
  caregiver: [
    'launch/patient',
    ...IDENTITY,
    'offline_access',
    'patient/Patient.r',
    'patient/QuestionnaireResponse.cru',
    'patient/Task.rs',
    'user/Questionnaire.rs',
    'user/RelatedPerson.r',
  ],
};

/** Workflows that need a patient chosen at launch. */
export function needsPatient(workflow: Workflow): boolean {
  return WORKFLOW_SCOPES[workflow].some((s) => s === 'launch/patient' || s === 'launch');
}

/** SMART v2 `.cruds` permissions to their v1 `.read`/`.write` equivalents. */
export function toV1(scope: string): string[] {
  const m = /^(patient|user|system)\/([A-Za-z*]+)\.([cruds]+)$/.exec(scope);
  if (!m) return [scope];
  const [, context, type, perms] = m;
  const out: string[] = [];
  if (/[rs]/.test(perms)) out.push(`${context}/${type}.read`);
  if (/[cud]/.test(perms)) out.push(`${context}/${type}.write`);
  return out;
}

/**
 * The scope string for a workflow. A registration that lists its scopes narrows the clinical scopes to
 * those (identity and launch scopes are always kept).
 */
export function scopesFor(workflow: Workflow, opts: { registrationScopes?: string | null; v2: boolean }): string {
  let scopes = WORKFLOW_SCOPES[workflow];
  if (opts.registrationScopes) {
    const allowed = new Set(opts.registrationScopes.split(/\s+/).filter(Boolean));
    scopes = scopes.filter((s) => !s.includes('/') || s === 'launch/patient' || allowed.has(s));
  }
  const list = opts.v2 ? scopes : scopes.flatMap(toV1);
  return [...new Set(list)].join(' ');
}
