import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import type { Activity, CompletionRule, EligibilityItem, Timepoint } from './program-definition.js';
import { Program } from './program.entity.js';

/**
 * One published version of a program (a PlanDefinition `url|version`). Never changed once published: cohorts
 * and enrolments point at the version they started with, and a new version is a new row.
 */
@Entity('program_version')
@Unique('UQ_program_version_program_version', ['programId', 'version'])
export class ProgramVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  programId!: string;

  @ManyToOne(() => Program)
  @JoinColumn({ foreignKeyConstraintName: 'FK_program_version_program' })
  program?: Relation<Program>;

  @Column({ type: 'text' })
  version!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'int' })
  sessionCount!: number;

  @Column({ type: 'int' })
  cadenceDays!: number;

  @Column({ type: 'int' })
  sessionMinutes!: number;

  /** Seats (people, patients and caregivers alike) a cohort offers by default. */
  @Column({ type: 'int' })
  capacity!: number;

  @Column({ type: 'jsonb' })
  audience!: ('patient' | 'caregiver')[];

  @Column({ type: 'jsonb' })
  activities!: Activity[];

  @Column({ type: 'jsonb' })
  eligibility!: EligibilityItem[];

  @Column({ type: 'jsonb' })
  completionRule!: CompletionRule;

  @Column({ type: 'jsonb' })
  timepoints!: Timepoint[];

  @Column({ type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;

  /** fhirUser of the admin who published it; null for the seeded versions. */
  @Column({ type: 'text', nullable: true })
  publishedBy!: string | null;
}
