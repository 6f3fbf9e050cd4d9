/** The app's own roles, stored in its database per (EHR registration, fhirUser); never taken from a request. */
export const STAFF_ROLES = ['clinician', 'coordinator', 'quality', 'admin'] as const;
export const ROLES = [...STAFF_ROLES, 'patient', 'caregiver'] as const;
export type Role = (typeof ROLES)[number];
export type StaffRole = (typeof STAFF_ROLES)[number];
