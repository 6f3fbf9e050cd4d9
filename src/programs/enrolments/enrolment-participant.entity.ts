import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { Program } from '../catalogue/program.entity.js';
import { Cohort } from '../cohorts/cohort.entity.js';
import { Enrolment } from './enrolment.entity.js';

export type ParticipantRole = 'patient' | 'caregiver';

/**
 * A person taking part under an enrolment: the patient, or one of their caregivers. Each holds a seat of the
 * cohort while `ended_at` is null. The partial unique index is the database's own guarantee that no person
 * holds two active enrolments in one program, whatever the application does.
 */
@Entity('enrolment_participant')
@Unique('UQ_enrolment_participant_person', ['enrolmentId', 'person'])
@Index('uq_enrolment_participant_active', ['registrationId', 'programId', 'person'], { unique: true, where: `"ended_at" IS NULL` })
@Index('idx_enrolment_participant_cohort', ['cohortId'])
@Check('CHK_enrolment_participant_role', `"role" IN ('patient', 'caregiver')`)
export class EnrolmentParticipant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  enrolmentId!: string;

  @ManyToOne(() => Enrolment)
  @JoinColumn({ foreignKeyConstraintName: 'FK_enrolment_participant_enrolment' })
  enrolment?: Relation<Enrolment>;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @Column({ type: 'uuid' })
  programId!: string;

  @ManyToOne(() => Program)
  @JoinColumn({ foreignKeyConstraintName: 'FK_enrolment_participant_program' })
  program?: Relation<Program>;

  @Column({ type: 'uuid', nullable: true })
  cohortId!: string | null;

  @ManyToOne(() => Cohort)
  @JoinColumn({ foreignKeyConstraintName: 'FK_enrolment_participant_cohort' })
  cohort?: Relation<Cohort>;

  /** `Patient/<id>` or `RelatedPerson/<id>`. */
  @Column({ type: 'text' })
  person!: string;

  @Column({ type: 'text' })
  role!: ParticipantRole;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
