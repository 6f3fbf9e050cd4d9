import { z } from 'zod';
import { FHIR_ID, referencePattern } from '../../fhir/ids.js';

function realDate(v: string): boolean {
  const d = new Date(`${v.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v.slice(0, 10));
}

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 is refused). */
export const isoDate = z
  .string()
  // `abort`: one issue per field, a malformed value is not also reported as an impossible date.
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine(realDate, 'must be a real calendar date');

/** An ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`); seconds optional. */
export const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/, {
    message: 'must be an ISO 8601 date-time with an offset',
    abort: true,
  })
  .refine(realDate, 'must be a real date-time');

/** A local wall-clock time `HH:mm` (24 h). */
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:mm');

/** An IANA time zone the runtime knows (`Europe/Paris`, `America/New_York`). */
export const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return tz.includes('/') || tz === 'UTC';
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Paris');

export const patientId = z.string().regex(FHIR_ID, 'must be a FHIR Patient id');
export const relatedPersonRef = z.string().regex(referencePattern('RelatedPerson'), 'must be a reference RelatedPerson/<id>');
export const practitionerRef = z.string().regex(referencePattern('Practitioner'), 'must be a reference Practitioner/<id>');
export const uuid = z.string().uuid('must be a UUID');

/** Free text a person typed: trimmed, bounded. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** Caregivers, each at most once. */
export const caregivers = z
  .array(relatedPersonRef)
  .max(5)
  .refine((list) => new Set(list).size === list.length, 'must not name a caregiver twice');
