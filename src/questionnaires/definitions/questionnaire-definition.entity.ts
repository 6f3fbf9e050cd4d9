import type { Questionnaire } from 'fhir/r4.js';
import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import type { SafetyRule, ScoreDefinition } from '../engine/instrument.types.js';

/**
 * A clinic's own Questionnaire version (a licensed instrument it holds rights to), imported by an admin.
 * Immutable once stored: a change is a new version. Scoped to the clinic (EHR registration) that imported it;
 * built-in instruments live in code (InstrumentLibrary) and never in this table.
 */
@Entity('questionnaire_definition')
@Unique('UQ_questionnaire_definition_canonical', ['registrationId', 'url', 'version'])
@Check('CHK_questionnaire_definition_status', `"status" IN ('draft', 'active', 'retired', 'unknown')`)
export class QuestionnaireDefinition {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_questionnaire_definition_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  /** Questionnaire.status as imported. */
  @Column({ type: 'text' })
  status!: Questionnaire['status'];

  @Column({ type: 'jsonb' })
  questionnaire!: Questionnaire;

  @Column({ type: 'jsonb' })
  scores!: ScoreDefinition[];

  @Column({ type: 'jsonb' })
  safetyRules!: SafetyRule[];

  /** SHA-256 of the canonical JSON of {questionnaire, scores, safetyRules}: a re-import must match it. */
  @Column({ type: 'text' })
  contentHash!: string;

  /** fhirUser of the admin who imported it. */
  @Column({ type: 'text' })
  importedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
