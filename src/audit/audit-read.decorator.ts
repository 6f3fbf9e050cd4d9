import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AuditReadInterceptor } from './audit-read.interceptor.js';
import { AUDIT_READ_KEY, NO_PATIENT_DATA_KEY, type AuditReadOptions, type AuditReadSpec } from './audit-read.metadata.js';

export { AUDIT_READ_KEY, NO_PATIENT_DATA_KEY } from './audit-read.metadata.js';
export type { AuditReadOptions, AuditReadSpec, PatientSource } from './audit-read.metadata.js';

/**
 * Declares a read or search of patient-level data, in the spirit of IHE BALP: `action` is `<thing>.read` for one
 * resource, `<thing>.search` for a list. The AuditReadInterceptor it attaches writes one audit row per patient whose
 * data the answer holds (one multi-row INSERT) before the answer leaves; a refusal or failure is written with
 * outcome `denied` or `failure` and the patient when the request names one. A read whose audit row cannot be
 * written is not answered. The interceptor is attached here, not globally: routes without patient data then skip
 * Nest's interceptor pipeline (RxJS) altogether.
 */
export const AuditRead = (action: string, options: AuditReadOptions) =>
  applyDecorators(SetMetadata(AUDIT_READ_KEY, { action, ...options } satisfies AuditReadSpec), UseInterceptors(AuditReadInterceptor));

/**
 * Declares that a route serves no patient-level data (the catalogue, de-identified reports, settings), saying
 * why. Every GET under /api carries either this or `@AuditRead` (test/phi-audit.e2e-spec.ts fails otherwise).
 */
export const NoPatientData = (why: string) => SetMetadata(NO_PATIENT_DATA_KEY, why);
