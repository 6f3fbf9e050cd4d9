import { z } from 'zod';
import { ATTENDANCE_STATUSES } from './attendance.entity.js';
import { referencePattern } from '../../fhir/ids.js';

const person = z.string().regex(referencePattern('Patient', 'RelatedPerson'), 'must be Patient/<id> or RelatedPerson/<id>');

/** A whole session's attendance at once (or part of it); each person at most once. */
export const attendanceInput = z
  .object({
    attendance: z
      .array(z.object({ person, status: z.enum(ATTENDANCE_STATUSES) }).strict())
      .min(1)
      .max(100)
      .refine((l) => new Set(l.map((e) => e.person)).size === l.length, 'must not list a person twice'),
  })
  .strict()
  .meta({
    example: {
      attendance: [
        { person: 'Patient/pat-1042', status: 'attended' },
        { person: 'RelatedPerson/rp-2210', status: 'excused' },
      ],
    },
  });

export type AttendanceInput = z.infer<typeof attendanceInput>;
