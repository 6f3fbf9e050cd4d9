import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { ProgramSession } from '../cohorts/program-session.entity.js';
import { EnrolmentParticipant } from '../enrolments/enrolment-participant.entity.js';

export const ATTENDANCE_STATUSES = ['attended', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Whether one participant came to one session. Recorded again = corrected (one row per pair). */
@Entity('attendance')
@Unique('UQ_attendance_session_participant', ['sessionId', 'participantId'])
@Check('CHK_attendance_status', `"status" IN ('attended', 'absent', 'excused')`)
export class Attendance {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => ProgramSession)
  @JoinColumn({ foreignKeyConstraintName: 'FK_attendance_session' })
  session?: Relation<ProgramSession>;

  @Column({ type: 'uuid' })
  participantId!: string;

  @ManyToOne(() => EnrolmentParticipant)
  @JoinColumn({ foreignKeyConstraintName: 'FK_attendance_participant' })
  participant?: Relation<EnrolmentParticipant>;

  @Column({ type: 'text' })
  status!: AttendanceStatus;

  @Column({ type: 'text' })
  recordedBy!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
