import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import { ProgramVersion } from '../catalogue/program-version.entity.js';
import { Program } from '../catalogue/program.entity.js';
import type { JourneyState } from './journey.rules.js';

export const PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What screening recorded: the checklist answers, their verdict, and the consent the patient gave. */
export interface Screening {
  answers: Record<string, boolean>;
  eligible: boolean;
  consent: { given: boolean; date: string; method: string };
  screenedBy: string;
  screenedAt: string;
}

/**
 * A patient's referral to a program and, from then on, their journey through it: `status` is the enrolment
 * state machine (journey.rules.ts), held here once so that the referral, its EHR Task and the enrolment never
 * disagree. `revision` counts the Task writes (each a new outbox entry). A patient has at most one open referral
 * per program (open-referral.rules.ts): the partial unique index is the database's own guarantee of it.
 */
@Entity('referral')
@Index('idx_referral_worklist', ['registrationId', 'status', 'createdAt'])
@Index('uq_referral_open', ['registrationId', 'patientId', 'programId'], { unique: true, where: `"status" NOT IN ('declined', 'withdrawn', 'completed')` })
@Index('idx_referral_patient', ['registrationId', 'patientId'])
@Check('CHK_referral_priority', `"priority" IN ('routine', 'urgent', 'asap', 'stat')`)
@Check(
  'CHK_referral_status',
  `"status" IN ('referred', 'screened', 'accepted', 'declined', 'enrolled', 'active', 'completed', 'withdrawn')`,
)
export class Referral {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_referral_registration' })
  registration?: Relation<EhrRegistration>;

  /** The EHR's Patient id. */
  @Column({ type: 'text' })
  patientId!: string;

  /** `RelatedPerson/<id>` references of the caregivers referred with the patient. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  caregivers!: string[];

  @Column({ type: 'uuid' })
  programId!: string;

  @ManyToOne(() => Program)
  @JoinColumn({ foreignKeyConstraintName: 'FK_referral_program' })
  program?: Relation<Program>;

  /** The version current when referred: the ServiceRequest's instantiatesCanonical. */
  @Column({ type: 'uuid' })
  programVersionId!: string;

  @ManyToOne(() => ProgramVersion)
  @JoinColumn({ foreignKeyConstraintName: 'FK_referral_program_version' })
  programVersion?: Relation<ProgramVersion>;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  priority!: Priority;

  @Column({ type: 'text', default: 'referred' })
  status!: JourneyState;

  /** The referrer's fhirUser (ServiceRequest.requester). */
  @Column({ type: 'text' })
  requester!: string;

  @Column({ type: 'jsonb', nullable: true })
  screening!: Screening | null;

  /** Why it was accepted or declined, in the coordinator's words. */
  @Column({ type: 'text', nullable: true })
  decisionReason!: string | null;

  @Column({ type: 'int', default: 0 })
  revision!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
