import { z } from 'zod';
import { caregivers, isoDate, practitionerRef, text, uuid } from '../shared/schemas.js';
import { JOURNEY_STATES } from './enrolment.rules.js';
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
  .strict();

export const withdrawInput = z
  .object({
    reason: z.enum(WITHDRAWAL_REASON_CODES),
    date: isoDate,
    note: text(1000).optional(),
  })
  .strict();

export const enrolmentListQuery = z
  .object({
    cohortId: uuid.optional(),
    patientId: z.string().max(64).optional(),
    status: z.enum(JOURNEY_STATES).optional(),
  })
  .strict();

export type EnrolInput = z.infer<typeof enrolInput>;
export type WithdrawInput = z.infer<typeof withdrawInput>;
export type EnrolmentListQuery = z.infer<typeof enrolmentListQuery>;
