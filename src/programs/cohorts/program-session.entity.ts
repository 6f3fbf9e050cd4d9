import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { Enrolment } from '../enrolments/enrolment.entity.js';
import { Cohort } from './cohort.entity.js';

/** Mirrors Appointment.status: booked, then fulfilled (held) or noshow (nobody came), or cancelled. */
export const SESSION_STATUSES = ['booked', 'fulfilled', 'noshow', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * One meeting, an Appointment in the EHR: either a cohort's group session or an individual session booked
 * for one enrolment (exactly one of the two). `revision` counts its changes: its Appointment writes, and the roster
 * changes of a held session, which its Appointment does not show (see precondition.ts).
 */
@Entity('program_session')
@Unique('UQ_program_session_cohort_sequence', ['cohortId', 'sequence'])
@Unique('UQ_program_session_enrolment_sequence', ['enrolmentId', 'sequence'])
@Check('CHK_program_session_owner', `num_nonnulls("cohort_id", "enrolment_id") = 1`)
@Check('CHK_program_session_status', `"status" IN ('booked', 'fulfilled', 'noshow', 'cancelled')`)
@Check('CHK_program_session_times', `"ends_at" > "starts_at"`)
export class ProgramSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  cohortId!: string | null;

  @ManyToOne(() => Cohort)
  @JoinColumn({ foreignKeyConstraintName: 'FK_program_session_cohort' })
  cohort?: Relation<Cohort>;

  @Column({ type: 'uuid', nullable: true })
  enrolmentId!: string | null;

  @ManyToOne(() => Enrolment)
  @JoinColumn({ foreignKeyConstraintName: 'FK_program_session_enrolment' })
  enrolment?: Relation<Enrolment>;

  /** 1-based position in the cohort's (or the enrolment's) series. */
  @Column({ type: 'int' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  /** IANA zone its times are shown in (the cohort's). */
  @Column({ type: 'text' })
  timeZone!: string;

  /** `Practitioner/<id>` leading it: the cohort's facilitator or the individual session's therapist. */
  @Column({ type: 'text' })
  facilitator!: string;

  @Column({ type: 'text', default: 'booked' })
  status!: SessionStatus;

  @Column({ type: 'text', nullable: true })
  cancelReason!: string | null;

  @Column({ type: 'int', default: 0 })
  revision!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
