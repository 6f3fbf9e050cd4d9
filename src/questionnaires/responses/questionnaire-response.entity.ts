import type { QuestionnaireResponse as FhirQuestionnaireResponse } from 'fhir/r4.js';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import { ANSWER_MODES, sqlList, SUBJECT_TYPES, TIMEPOINTS, type AnswerMode, type ResponseStatus, type SubjectType, type Timepoint } from '../questionnaire.vocabulary.js';
import { QuestionnaireAssignment } from '../timepoints/questionnaire-assignment.entity.js';

/**
 * The current state of one QuestionnaireResponse: a draft (`in-progress`, never written back), or the latest
 * submitted version (`completed`, then `amended`). Every submitted version is also frozen in
 * questionnaire_response_version. `version` is the optimistic-concurrency counter (ETag); it grows on every
 * save. `patient_id` is the patient the answers concern, also for a caregiver's own form (access checks).
 */
@Entity('questionnaire_response')
@Index('uq_questionnaire_response_assignment', ['assignmentId'], { unique: true, where: `"assignment_id" IS NOT NULL AND "status" <> 'entered-in-error'` })
@Index('idx_questionnaire_response_patient', ['registrationId', 'patientId', 'status'])
@Index('idx_questionnaire_response_enrolment', ['enrolmentId'])
@Check('CHK_questionnaire_response_subject_type', `"subject_type" IN (${sqlList(SUBJECT_TYPES)})`)
@Check('CHK_questionnaire_response_timepoint', `"timepoint" IS NULL OR "timepoint" IN (${sqlList(TIMEPOINTS)})`)
@Check('CHK_questionnaire_response_status', `"status" IN ('in-progress', 'completed', 'amended', 'entered-in-error')`)
@Check('CHK_questionnaire_response_language', `"language" ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'`)
@Check('CHK_questionnaire_response_answer_mode', `"answer_mode" IN (${sqlList(ANSWER_MODES)})`)
export class QuestionnaireResponse {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_questionnaire_response_registration' })
  registration?: Relation<EhrRegistration>;

  /** The exact `url|version` answered. */
  @Column({ type: 'text' })
  questionnaire!: string;

  @Column({ type: 'text' })
  questionnaireUrl!: string;

  @Column({ type: 'text' })
  subjectType!: SubjectType;

  @Column({ type: 'text' })
  subjectId!: string;

  @Column({ type: 'text' })
  patientId!: string;

  /** The programs module's enrolment (no foreign key: that module owns the table). */
  @Column({ type: 'uuid', nullable: true })
  enrolmentId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  assignmentId!: string | null;

  @ManyToOne(() => QuestionnaireAssignment)
  @JoinColumn({ foreignKeyConstraintName: 'FK_questionnaire_response_assignment' })
  assignment?: Relation<QuestionnaireAssignment>;

  @Column({ type: 'text', nullable: true })
  timepoint!: Timepoint | null;

  @Column({ type: 'text' })
  status!: ResponseStatus;

  @Column({ type: 'text' })
  answerMode!: AnswerMode;

  /** Who typed the answers (`Patient/…`, `RelatedPerson/…`, `Practitioner/…`): the signed-in user. */
  @Column({ type: 'text' })
  author!: string;

  /** Whose answers they are. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'timestamptz' })
  authored!: Date;

  /** The language the form was shown and answered in (a BCP-47 tag, as the client sent it: 'es-US'; QuestionnaireResponse.language). */
  @Column({ type: 'text', default: 'en' })
  language!: string;

  /** The FHIR QuestionnaireResponse as served (scores computed by the server). */
  @Column({ type: 'jsonb' })
  resource!: FhirQuestionnaireResponse;

  @Column({ type: 'int', default: 1 })
  version!: number;

  /** First submission; null while a draft. */
  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
