import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';
import type { SafetyPriority } from '../engine/instrument.types.js';
import type { AlertStatus, AnswerMode, FollowUpAction, SubjectType } from '../questionnaire.vocabulary.js';
import { QuestionnaireResponse } from '../responses/questionnaire-response.entity.js';

/**
 * A safety rule that fired on a saved response (e.g. PHQ-9 item 9 > 0), on a draft as well as a submission.
 * Open until a clinician records follow-up; at most one OPEN alert per (response, rule). After a follow-up a
 * later save raises a new one only when the rule's level grew (see README "Safety alerts"). Escalated once
 * when left open past SAFETY_ESCALATE_AFTER_MINUTES.
 */
@Entity('safety_alert')
@Index('uq_safety_alert_open_response_rule', ['responseId', 'ruleId'], { unique: true, where: `"status" = 'open'` })
@Index('idx_safety_alert_worklist', ['registrationId', 'status', 'raisedAt'])
@Index('idx_safety_alert_patient', ['registrationId', 'patientId'])
@Index('idx_safety_alert_response', ['responseId', 'ruleId', 'raisedAt'])
@Index('idx_safety_alert_escalation', ['raisedAt'], { where: `"status" = 'open' AND "escalated_at" IS NULL` })
@Check('CHK_safety_alert_severity', `"severity" IN ('routine', 'urgent', 'asap', 'stat')`)
@Check('CHK_safety_alert_status', `"status" IN ('open', 'followed-up')`)
@Check('CHK_safety_alert_follow_up', `("status" = 'open') = ("followed_up_at" IS NULL)`)
@Check('CHK_safety_alert_subject_type', `"subject_type" IN ('Patient', 'RelatedPerson')`)
@Check('CHK_safety_alert_answer_mode', `"answer_mode" IN ('self', 'caregiver-entered', 'clinician-read-aloud', 'proxy')`)
export class SafetyAlert {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_safety_alert_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => QuestionnaireResponse)
  @JoinColumn({ foreignKeyConstraintName: 'FK_safety_alert_response' })
  response?: Relation<QuestionnaireResponse>;

  /** The patient in whose context the alert is seen (also for a caregiver's own form): every access check uses it. */
  @Column({ type: 'text' })
  patientId!: string;

  /** Who the alert is about: the response's subject. A caregiver's own form makes it `RelatedPerson`, never the patient. */
  @Column({ type: 'text' })
  subjectType!: SubjectType;

  @Column({ type: 'text' })
  subjectId!: string;

  /** How the answers were given (a proxy report or a caregiver typing for the patient is said in the alert). */
  @Column({ type: 'text' })
  answerMode!: AnswerMode;

  /** fhirUser who typed the answers the alert was raised on. */
  @Column({ type: 'text' })
  author!: string;

  /** `url|version` of the form answered. */
  @Column({ type: 'text' })
  questionnaire!: string;

  @Column({ type: 'text' })
  ruleId!: string;

  @Column({ type: 'text' })
  severity!: SafetyPriority;

  /** The rule's message for clinicians (shown in the app; never written to the EHR or the audit log). */
  @Column({ type: 'text' })
  message!: string;

  /** The rule could not be evaluated and was raised anyway (fail safe). */
  @Column({ type: 'boolean', default: false })
  evaluationFailed!: boolean;

  /** The rule's level when raised (PHQ-9: item 9's weight); null when the rule has none. */
  @Column({ type: 'double precision', nullable: true })
  level!: number | null;

  /** Raised on a saved draft, before the person submitted. */
  @Column({ type: 'boolean', default: false })
  raisedOnDraft!: boolean;

  /** When the response was submitted; null while it is still a draft ("not yet submitted"). */
  @Column({ type: 'timestamptz', nullable: true })
  responseSubmittedAt!: Date | null;

  /** `Practitioner/<id>`: owner of the EHR Task and recipient of the Communication; null if unknown. */
  @Column({ type: 'text', nullable: true })
  responsible!: string | null;

  @Column({ type: 'text', default: 'open' })
  status!: AlertStatus;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  raisedAt!: Date;

  /** Set once, by the escalation job that claimed it (several instances: the first UPDATE wins). */
  @Column({ type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  /** `Practitioner/<id>`: the program's lead clinician it was escalated to; null when none is known (EHR work queue). */
  @Column({ type: 'text', nullable: true })
  escalatedTo!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  followedUpAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  followedUpBy!: string | null;

  @Column({ type: 'text', nullable: true })
  followUpAction!: FollowUpAction | null;

  @Column({ type: 'text', nullable: true })
  followUpNote!: string | null;
}
