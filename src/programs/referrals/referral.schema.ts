import { z } from 'zod';
import { JOURNEY_STATES } from './journey.rules.js';
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
  .strict()
  .meta({
    example: {
      patientId: 'pat-1042',
      program: 'mindful-self-compassion-als',
      caregivers: ['RelatedPerson/rp-2210'],
      reason: 'Low mood and worry since the diagnosis; would like the online group course',
      priority: 'routine',
    },
  });

export const screeningInput = z
  .object({
    /** Checklist item id → met? Every item of the program version's checklist, no other. */
    answers: z.record(z.string().max(64), z.boolean()),
    consent: z
      .object({ given: z.boolean(), date: isoDate, method: z.enum(['verbal', 'written', 'electronic']) })
      .strict(),
  })
  .strict()
  .meta({
    example: {
      answers: { 'als-diagnosis': true, 'online-access': true, 'group-communication': true, 'no-acute-crisis': true, commitment: true },
      consent: { given: true, date: '2026-03-02', method: 'verbal' },
    },
  });

/** Before enrolment; the same coded reasons as an enrolment's withdrawal. */
export const referralWithdrawInput = z
  .object({ reason: z.enum(WITHDRAWAL_REASON_CODES), note: text(1000).optional() })
  .strict()
  .meta({ example: { reason: 'fatigue', note: 'Prefers to wait until the new ventilation routine is settled' } });

export const decisionInput = z.object({ reason: text(2000) }).strict().meta({ example: { reason: 'Needs urgent psychiatric care first' } });
/** An accept needs no body at all; a reason is optional. */
export const acceptInput = z.object({ reason: text(2000).optional() }).strict().meta({ example: { reason: 'All criteria met; consent recorded' } });

export const worklistQuery = z
  .object({
    status: z.enum(JOURNEY_STATES).optional(),
    patientId: patientId.optional().meta({ example: 'pat-1042' }),
    program: z.string().max(100).optional().meta({ description: "The program's id or slug", example: 'mindful-self-compassion-als' }),
  })
  .strict();

export type ReferralInput = z.infer<typeof referralInput>;
export type ScreeningInput = z.infer<typeof screeningInput>;
export type WorklistQuery = z.infer<typeof worklistQuery>;
export type ReferralWithdrawInput = z.infer<typeof referralWithdrawInput>;
export type DecisionInput = z.infer<typeof decisionInput>;
export type AcceptInput = z.infer<typeof acceptInput>;
