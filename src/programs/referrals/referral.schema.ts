import { z } from 'zod';
import { JOURNEY_STATES } from '../enrolments/enrolment.rules.js';
import { WITHDRAWAL_REASON_CODES } from '../enrolments/withdrawal-reasons.js';
import { caregivers, isoDate, patientId, text } from '../shared/schemas.js';
import { PRIORITIES } from './referral.entity.js';

export const referralInput = z
  .object({
    patientId,
    /** The program's id or slug; the referral takes its current version. */
    program: z.string().min(1).max(100),
    caregivers: caregivers.default([]),
    reason: text(2000),
    priority: z.enum(PRIORITIES).default('routine'),
  })
  .strict();

export const screeningInput = z
  .object({
    /** Checklist item id → met? Every item of the program version's checklist, no other. */
    answers: z.record(z.string().max(64), z.boolean()),
    consent: z
      .object({ given: z.boolean(), date: isoDate, method: z.enum(['verbal', 'written', 'electronic']) })
      .strict(),
  })
  .strict();

/** Before enrolment; the same coded reasons as an enrolment's withdrawal. */
export const referralWithdrawInput = z.object({ reason: z.enum(WITHDRAWAL_REASON_CODES), note: text(1000).optional() }).strict();

export const decisionInput = z.object({ reason: text(2000) }).strict();
export const acceptInput = z.object({ reason: text(2000).optional() }).strict();

export const worklistQuery = z
  .object({
    status: z.enum(JOURNEY_STATES).optional(),
    patientId: patientId.optional(),
    program: z.string().max(100).optional(),
  })
  .strict();

export type ReferralInput = z.infer<typeof referralInput>;
export type ScreeningInput = z.infer<typeof screeningInput>;
export type WorklistQuery = z.infer<typeof worklistQuery>;
