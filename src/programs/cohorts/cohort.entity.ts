import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import { ProgramVersion } from '../catalogue/program-version.entity.js';

/**
 * One run of a group course: a program version, a first session date and local time in an IANA zone, a
 * facilitator and a number of seats (people: patients and caregivers alike). Its sessions are generated
 * from the program version when it is created.
 */
@Entity('cohort')
@Index('idx_cohort_registration_start', ['registrationId', 'startDate'])
@Check('CHK_cohort_capacity', `"capacity" > 0`)
export class Cohort {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_cohort_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ type: 'uuid' })
  programVersionId!: string;

  @ManyToOne(() => ProgramVersion)
  @JoinColumn({ foreignKeyConstraintName: 'FK_cohort_program_version' })
  programVersion?: Relation<ProgramVersion>;

  @Column({ type: 'text' })
  name!: string;

  /** Local date of the first session (TypeORM hydrates `date` columns as `YYYY-MM-DD`). */
  @Column({ type: 'date' })
  startDate!: string;

  /** Local start time of every session, `HH:mm`. */
  @Column({ type: 'text' })
  sessionTime!: string;

  @Column({ type: 'text' })
  timeZone!: string;

  /** `Practitioner/<id>`. */
  @Column({ type: 'text' })
  facilitator!: string;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
