import { z } from 'zod';
import { caregivers, isoDate, practitionerRef, text, uuid } from '../shared/schemas.js';
import { JOURNEY_STATES } from '../referrals/journey.rules.js';
import { WITHDRAWAL_REASON_CODES } from './withdrawal-reasons.js';

export const enrolInput = z
  .object({
    referralId: uuid,
    /** Group courses: the cohort to join. Individual programs: none. */
    cohortId: uuid.optional(),
    /** `RelatedPerson/<id>` taking part with the patient; the referral's caregivers by default. */
    caregivers: caregivers.optional(),
    /** Individual programs: the therapist. */
    facilitator: practitionerRef.optional(),
    /** Individual programs: when it starts (today by default). */
    startDate: isoDate.optional(),
  })
  .strict()
  .meta({
    example: { referralId: '3f0c2b8e-6a1d-4c57-9e2a-7b4d1f9c0a61', cohortId: '8d6e4a20-1b3c-4f5e-8a7b-2c9d0e1f3a45', caregivers: ['RelatedPerson/rp-2210'] },
  });

export const withdrawInput = z
  .object({
    reason: z.enum(WITHDRAWAL_REASON_CODES),
    date: isoDate,
    note: text(1000).optional(),
  })
  .strict()
  .meta({ example: { reason: 'hospitalisation', date: '2026-04-14', note: 'Admitted for a gastrostomy; may rejoin a later cohort' } });

export const enrolmentListQuery = z
  .object({
    cohortId: uuid.optional().meta({ example: '8d6e4a20-1b3c-4f5e-8a7b-2c9d0e1f3a45' }),
    patientId: z.string().max(64).optional().meta({ example: 'pat-1042' }),
    status: z.enum(JOURNEY_STATES).optional(),
  })
  .strict();

export type EnrolInput = z.infer<typeof enrolInput>;
export type WithdrawInput = z.infer<typeof withdrawInput>;
export type EnrolmentListQuery = z.infer<typeof enrolmentListQuery>;
