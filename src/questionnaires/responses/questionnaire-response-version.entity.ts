import type { QuestionnaireResponse as FhirQuestionnaireResponse } from 'fhir/r4.js';
import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import type { AnswerMode } from '../questionnaire.vocabulary.js';
import { QuestionnaireResponse } from './questionnaire-response.entity.js';

/**
 * A submitted version of a response, frozen (a trigger refuses UPDATE and DELETE): the completed one and each
 * amendment. This is how "amend keeps the earlier version": history rows, not chained response rows, so
 * `questionnaire_response` always holds exactly one current row per response.
 */
@Entity('questionnaire_response_version')
@Unique('UQ_questionnaire_response_version', ['responseId', 'version'])
@Check('CHK_questionnaire_response_version_status', `"status" IN ('completed', 'amended', 'entered-in-error')`)
export class QuestionnaireResponseVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => QuestionnaireResponse)
  @JoinColumn({ foreignKeyConstraintName: 'FK_questionnaire_response_version_response' })
  response?: Relation<QuestionnaireResponse>;

  /** questionnaire_response.version when this version was submitted. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  status!: 'completed' | 'amended' | 'entered-in-error';

  @Column({ type: 'text' })
  answerMode!: AnswerMode;

  @Column({ type: 'text' })
  author!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'timestamptz' })
  authored!: Date;

  @Column({ type: 'jsonb' })
  resource!: FhirQuestionnaireResponse;

  @Column({ type: 'text' })
  recordedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt!: Date;
}
