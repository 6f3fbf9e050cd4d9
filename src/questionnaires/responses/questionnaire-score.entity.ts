import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import type { AnswerMode, SubjectType, Timepoint } from '../questionnaire.vocabulary.js';
import { QuestionnaireResponse } from './questionnaire-response.entity.js';

/** pg returns numeric as a string; scores are small decimals, exact enough as JS numbers. */
const numeric = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * One score of the current version of a completed or amended response (replaced on amendment, deleted if the
 * response is entered in error). Denormalised for the reports: who, which enrolment/timepoint, how answered.
 * `value` is null exactly when the score could not be computed (`gap`: incomplete, error, out-of-range).
 */
@Entity('questionnaire_score')
@Unique('UQ_questionnaire_score_response_link', ['responseId', 'linkId'])
@Index('idx_questionnaire_score_instrument', ['registrationId', 'instrumentUrl', 'linkId', 'timepoint'])
@Index('idx_questionnaire_score_patient', ['registrationId', 'patientId'])
@Index('idx_questionnaire_score_enrolment', ['enrolmentId', 'timepoint'])
@Check('CHK_questionnaire_score_gap', `("value" IS NULL) = ("gap" IS NOT NULL)`)
@Check('CHK_questionnaire_score_language', `"language" ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'`)
export class QuestionnaireScore {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => QuestionnaireResponse)
  @JoinColumn({ foreignKeyConstraintName: 'FK_questionnaire_score_response' })
  response?: Relation<QuestionnaireResponse>;

  @Column({ type: 'int' })
  responseVersion!: number;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_questionnaire_score_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ type: 'text' })
  patientId!: string;

  @Column({ type: 'text' })
  subjectType!: SubjectType;

  @Column({ type: 'text' })
  subjectId!: string;

  @Column({ type: 'uuid', nullable: true })
  enrolmentId!: string | null;

  @Column({ type: 'text', nullable: true })
  timepoint!: Timepoint | null;

  @Column({ type: 'text' })
  answerMode!: AnswerMode;

  /** The language its response was answered in (QuestionnaireResponse.language, a BCP-47 tag), for reports split by it. */
  @Column({ type: 'text' })
  language!: string;

  /** The Questionnaire `url|version` answered, and its url alone (reports group versions of one instrument). */
  @Column({ type: 'text' })
  instrument!: string;

  @Column({ type: 'text' })
  instrumentUrl!: string;

  /** linkId of the score item (ScoreDefinition.linkId), e.g. `phq9-total`. */
  @Column({ type: 'text' })
  linkId!: string;

  /** Observation.code of the score: LOINC where verified, else the module's CodeSystem. */
  @Column({ type: 'text' })
  codeSystem!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  value!: number | null;

  @Column({ type: 'text' })
  unit!: string;

  @Column({ type: 'text', nullable: true })
  bandSystem!: string | null;

  @Column({ type: 'text', nullable: true })
  bandCode!: string | null;

  @Column({ type: 'text', nullable: true })
  gap!: 'incomplete' | 'error' | 'out-of-range' | null;

  /** The response's authored time (= Observation.effectiveDateTime). */
  @Column({ type: 'timestamptz' })
  authored!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  computedAt!: Date;
}
