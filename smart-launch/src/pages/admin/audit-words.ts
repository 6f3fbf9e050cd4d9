import { label } from '../../lib/format';

// The audit log in the clinic's words: what happened, and what it was about. The codes stay beside the words
// (the search takes them), but a person reads the words.

export const ACTIONS: Record<string, string> = {
  'smart.launch': 'App launch started',
  'smart.signin': 'Signed in',
  'smart.logout': 'Signed out',
  'smart.token-refresh': 'EHR access renewed',
  'smart.system-token': 'Service token from the EHR',
  'session.revoke': 'Sessions ended',
  'access.denied': 'Access refused',
  'user.create': 'Role given before first sign-in',
  'user.role.change': 'Role changed',
  'registry.create': 'EHR registered',
  'registry.update': 'EHR registration changed',
  'registry.enable': 'EHR registration enabled',
  'registry.disable': 'EHR registration disabled',
  'registry.check': 'EHR connection checked',
  'program.create': 'Program created',
  'program.publish': 'Program version published',
  'program.lead-clinician': "Program's lead clinician set",
  'referral.create': 'Referral made',
  'referral.screen': 'Referral screened',
  'referral.accept': 'Referral accepted',
  'referral.decline': 'Referral declined',
  'enrolment.create': 'Enrolled',
  'enrolment.withdraw': 'Withdrawn from the program',
  'enrolment.complete': 'Program completed',
  'cohort.create': 'Cohort created',
  'session.book': 'Session booked',
  'session.update': 'Session changed',
  'attendance.record': 'Attendance recorded',
  'questionnaire.import': 'Questionnaire imported',
  'questionnaire-assignment.schedule': 'Questionnaires scheduled',
  'questionnaire-assignment.cancel': 'Scheduled questionnaires cancelled',
  'questionnaire-response.read': 'Answers read',
  'questionnaire-response.search': 'Answers searched',
  'questionnaire-response.in-progress': 'Answers saved as a draft',
  'questionnaire-response.completed': 'Answers submitted',
  'questionnaire-response.amended': 'Answers amended',
  'safety-alert.raise': 'Safety alert raised',
  'safety-alert.follow-up': 'Safety alert followed up',
  'safety-alert.escalate': 'Safety alert escalated',
  'outbox.read': 'Write-back details read',
  'outbox.retry': 'Write-back sent again',
  'report.export': 'Outcome report exported',
};

export function actionText(code: string): string {
  return ACTIONS[code] ?? label(code.replace(/\./g, ' '));
}

const RESOURCES: Record<string, string> = {
  EhrRegistration: 'EHR registration',
  AppUser: 'User',
  AppSession: 'Session',
  ServiceRequest: 'Referral',
  Task: 'Referral',
  CarePlan: 'Enrolment',
  Appointment: 'Program session',
  Cohort: 'Cohort',
  PlanDefinition: 'Program',
  Questionnaire: 'Questionnaire',
  QuestionnaireResponse: 'Questionnaire answers',
  SafetyAlert: 'Safety alert',
  OutboxEntry: 'Write-back',
  MeasureReport: 'Outcome report',
};

/** What an event was about, in words (never its id). */
export function resourceText(type: string | null): string {
  if (!type) return '—';
  return RESOURCES[type] ?? type.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** "Practitioner/…" → the kind of person, for someone the app knows only by reference. */
export function kindOf(fhirUser: string): string {
  if (fhirUser.startsWith('Patient/')) return 'Patient';
  if (fhirUser.startsWith('RelatedPerson/')) return 'Caregiver';
  if (fhirUser.startsWith('Practitioner/') || fhirUser.startsWith('PractitionerRole/')) return 'Staff (EHR practitioner)';
  return 'Other';
}
