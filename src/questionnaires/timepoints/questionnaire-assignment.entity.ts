import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VirtualColumn, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import { sqlList, SUBJECT_TYPES, TIMEPOINTS, type AssignmentStatus, type SubjectType, type Timepoint } from '../questionnaire.vocabulary.js';

/**
 * A due form: one participant (the patient, or a caregiver about themself) × one Questionnaire × one program
 * timepoint, with its window. The EHR sees it as an SDC questionnaire Task (business identifier
 * `questionnaire-task|<id>`). `enrolment_id`/`cohort_id` point into the programs module's tables without a
 * foreign key: that module owns them and calls `TimepointsService.scheduleForEnrolment`.
 */
@Entity('questionnaire_assignment')
@Index('uq_questionnaire_assignment_slot', ['enrolmentId', 'timepoint', 'questionnaireUrl', 'subjectType', 'subjectId'], {
  unique: true,
  where: `"enrolment_id" IS NOT NULL`,
})
@Index('idx_questionnaire_assignment_worklist', ['registrationId', 'status', 'dueUntil'])
@Index('idx_questionnaire_assignment_patient', ['registrationId', 'patientId'])
@Index('idx_questionnaire_assignment_cohort', ['cohortId'])
@Check('CHK_questionnaire_assignment_subject_type', `"subject_type" IN (${sqlList(SUBJECT_TYPES)})`)
@Check('CHK_questionnaire_assignment_timepoint', `"timepoint" IN (${sqlList(TIMEPOINTS)})`)
@Check('CHK_questionnaire_assignment_status', `"status" IN ('due', 'in-progress', 'completed', 'cancelled')`)
@Check('CHK_questionnaire_assignment_window', `"due_until" >= "due_from"`)
export class QuestionnaireAssignment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_questionnaire_assignment_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ type: 'uuid', nullable: true })
  enrolmentId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  cohortId!: string | null;

  @Column({ type: 'text' })
  patientId!: string;

  @Column({ type: 'text' })
  subjectType!: SubjectType;

  @Column({ type: 'text' })
  subjectId!: string;

  /** `url|version`, pinned when scheduled. */
  @Column({ type: 'text' })
  questionnaire!: string;

  @Column({ type: 'text' })
  questionnaireUrl!: string;

  @Column({ type: 'text' })
  timepoint!: Timepoint;

  /** Inclusive calendar dates. */
  @Column({ type: 'date' })
  dueFrom!: string;

  @Column({ type: 'date' })
  dueUntil!: string;

  @Column({ type: 'text', default: 'due' })
  status!: AssignmentStatus;

  /**
   * Its live response (draft or submitted), read from the one place the link is stored: the response's
   * `assignment_id` (at most one live response per assignment, `uq_questionnaire_response_assignment`).
   */
  @VirtualColumn({
    type: 'uuid',
    query: (alias) => `SELECT r."id" FROM "questionnaire_response" r WHERE r."assignment_id" = ${alias}."id" AND r."status" <> 'entered-in-error'`,
  })
  responseId!: string | null;

  /** `Practitioner/<id>` who receives safety alerts raised by this form (the enrolment's clinician). */
  @Column({ type: 'text', nullable: true })
  responsible!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
