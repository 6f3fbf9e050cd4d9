import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import { ProgramVersion } from '../catalogue/program-version.entity.js';
import { Program } from '../catalogue/program.entity.js';
import { Cohort } from '../cohorts/cohort.entity.js';
import { Referral } from '../referrals/referral.entity.js';
import { WITHDRAWAL_REASON_SQL, type WithdrawalReason } from './withdrawal-reasons.js';

/**
 * A patient (with their caregivers, see EnrolmentParticipant) enrolled in a program: into a cohort for a group
 * course, or on their own for individual sessions. Its state is its referral's `status` (one journey, one
 * place). Keeps the program version it started with. The EHR sees it as a CarePlan; `revision` counts writes.
 */
@Entity('enrolment')
@Unique('UQ_enrolment_referral', ['referralId'])
@Index('idx_enrolment_cohort', ['cohortId'])
@Index('idx_enrolment_patient', ['registrationId', 'patientId'])
@Check('CHK_enrolment_withdrawal_reason', `"withdrawal_reason" IS NULL OR "withdrawal_reason" IN (${WITHDRAWAL_REASON_SQL})`)
export class Enrolment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  referralId!: string;

  @ManyToOne(() => Referral)
  @JoinColumn({ foreignKeyConstraintName: 'FK_enrolment_referral' })
  referral?: Relation<Referral>;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_enrolment_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ type: 'text' })
  patientId!: string;

  @Column({ type: 'uuid' })
  programId!: string;

  @ManyToOne(() => Program)
  @JoinColumn({ foreignKeyConstraintName: 'FK_enrolment_program' })
  program?: Relation<Program>;

  @Column({ type: 'uuid' })
  programVersionId!: string;

  @ManyToOne(() => ProgramVersion)
  @JoinColumn({ foreignKeyConstraintName: 'FK_enrolment_program_version' })
  programVersion?: Relation<ProgramVersion>;

  /** The cohort of a group course; null for individual sessions. */
  @Column({ type: 'uuid', nullable: true })
  cohortId!: string | null;

  @ManyToOne(() => Cohort)
  @JoinColumn({ foreignKeyConstraintName: 'FK_enrolment_cohort' })
  cohort?: Relation<Cohort>;

  /** `Practitioner/<id>`: the cohort's facilitator, or the therapist of individual sessions. */
  @Column({ type: 'text' })
  facilitator!: string;

  @Column({ type: 'date' })
  startDate!: string;

  /** Set when it ends (completed or withdrawn). */
  @Column({ type: 'date', nullable: true })
  endDate!: string | null;

  @Column({ type: 'text', nullable: true })
  withdrawalReason!: WithdrawalReason | null;

  @Column({ type: 'text', nullable: true })
  withdrawalNote!: string | null;

  @Column({ type: 'text' })
  enrolledBy!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  enrolledAt!: Date;

  @Column({ type: 'int', default: 0 })
  revision!: number;
}
