import { z } from 'zod';
import { isoDate, isoInstant, localTime, practitionerRef, text, timeZone } from '../shared/schemas.js';

export const cohortInput = z
  .object({
    /** The program's id or slug. */
    program: z.string().min(1).max(100),
    /** A published version; the current one by default. */
    version: z.string().max(20).optional(),
    name: text(200),
    startDate: isoDate,
    sessionTime: localTime,
    timeZone,
    facilitator: practitionerRef,
    /** Seats (people); the program version's capacity by default. */
    capacity: z.number().int().min(1).max(500).optional(),
  })
  .strict()
  .meta({
    example: {
      program: 'mindful-self-compassion-als',
      name: 'Spring 2026 evening group',
      startDate: '2026-04-07',
      sessionTime: '18:30',
      timeZone: 'Europe/Paris',
      facilitator: 'Practitioner/prac-301',
      capacity: 10,
    },
  });

/** Move, re-assign or cancel one session. */
export const sessionPatch = z
  .object({
    startsAt: isoInstant.optional(),
    durationMinutes: z.number().int().min(5).max(480).optional(),
    facilitator: practitionerRef.optional(),
    status: z.literal('cancelled').optional(),
    cancelReason: text(500).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
  .refine((p) => p.cancelReason === undefined || p.status === 'cancelled', { message: 'cancelReason goes with status cancelled', path: ['cancelReason'] })
  .refine((p) => p.status !== 'cancelled' || (p.startsAt === undefined && p.durationMinutes === undefined), {
    message: 'a session is moved or cancelled, not both',
    path: ['status'],
  })
  .meta({ example: { startsAt: '2026-04-21T18:30:00+02:00', durationMinutes: 90 } });

/** Book one individual session for an enrolment in an individual program. */
export const bookingInput = z
  .object({
    startsAt: isoInstant,
    timeZone,
    durationMinutes: z.number().int().min(5).max(480).optional(),
    facilitator: practitionerRef.optional(),
  })
  .strict()
  .meta({ example: { startsAt: '2026-05-04T10:00:00-04:00', timeZone: 'America/New_York', durationMinutes: 45, facilitator: 'Practitioner/prac-415' } });

export const cohortListQuery = z
  .object({ program: z.string().max(100).optional().meta({ description: "The program's id or slug", example: 'mindful-self-compassion-als' }) })
  .strict();

export type CohortInput = z.infer<typeof cohortInput>;
export type SessionPatch = z.infer<typeof sessionPatch>;
export type BookingInput = z.infer<typeof bookingInput>;
export type CohortListQuery = z.infer<typeof cohortListQuery>;
