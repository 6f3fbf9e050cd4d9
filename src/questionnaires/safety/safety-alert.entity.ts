import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import type { SafetyPriority } from '../instrument.types.js';
import type { AlertStatus, FollowUpAction } from '../questionnaire.vocabulary.js';
import { QuestionnaireResponse } from '../responses/questionnaire-response.entity.js';

/**
 * A safety rule that fired on a submitted response (e.g. PHQ-9 item 9 > 0). Open until a clinician records
 * follow-up. One per (response, rule): an amendment that still triggers the rule raises nothing new.
 */
@Entity('safety_alert')
@Unique('UQ_safety_alert_response_rule', ['responseId', 'ruleId'])
@Index('idx_safety_alert_worklist', ['registrationId', 'status', 'raisedAt'])
@Index('idx_safety_alert_patient', ['registrationId', 'patientId'])
@Check('CHK_safety_alert_severity', `"severity" IN ('routine', 'urgent', 'asap', 'stat')`)
@Check('CHK_safety_alert_status', `"status" IN ('open', 'followed-up')`)
@Check('CHK_safety_alert_follow_up', `("status" = 'open') = ("followed_up_at" IS NULL)`)
export class SafetyAlert {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'FK_safety_alert_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ name: 'response_id', type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => QuestionnaireResponse)
  @JoinColumn({ name: 'response_id', foreignKeyConstraintName: 'FK_safety_alert_response' })
  response?: Relation<QuestionnaireResponse>;

  @Column({ name: 'patient_id', type: 'text' })
  patientId!: string;

  /** `url|version` of the form answered. */
  @Column({ type: 'text' })
  questionnaire!: string;

  @Column({ name: 'rule_id', type: 'text' })
  ruleId!: string;

  @Column({ type: 'text' })
  severity!: SafetyPriority;

  /** The rule's message for clinicians (shown in the app; never written to the EHR or the audit log). */
  @Column({ type: 'text' })
  message!: string;

  /** The rule could not be evaluated and was raised anyway (fail safe). */
  @Column({ name: 'evaluation_failed', type: 'boolean', default: false })
  evaluationFailed!: boolean;

  /** `Practitioner/<id>`: owner of the EHR Task and recipient of the Communication; null if unknown. */
  @Column({ type: 'text', nullable: true })
  responsible!: string | null;

  @Column({ type: 'text', default: 'open' })
  status!: AlertStatus;

  @Column({ name: 'raised_at', type: 'timestamptz', default: () => 'now()' })
  raisedAt!: Date;

  @Column({ name: 'followed_up_at', type: 'timestamptz', nullable: true })
  followedUpAt!: Date | null;

  @Column({ name: 'followed_up_by', type: 'text', nullable: true })
  followedUpBy!: string | null;

  @Column({ name: 'follow_up_action', type: 'text', nullable: true })
  followUpAction!: FollowUpAction | null;

  @Column({ name: 'follow_up_note', type: 'text', nullable: true })
  followUpNote!: string | null;
}
