import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { QuestionnairesService } from '../definitions/questionnaires.service.js';
import type { AlertStatus, FollowUpAction } from '../questionnaire.vocabulary.js';
import type { QuestionnaireResponse } from '../responses/questionnaire-response.entity.js';
import type { SafetyFinding } from '../engine/safety.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { alertViewOf, factsOf, type AlertView } from './alert-views.js';
import { SafetyAlert } from './safety-alert.entity.js';
import { alertFollowUpBundle, alertRaisedBundle } from './safety.fhir.js';

export interface RaiseInput {
  /** The response as just stored (a draft or a submitted version). */
  response: QuestionnaireResponse;
  /** The response was stored for the first time by this save: it has no alerts yet, so none are looked up. */
  fresh?: boolean;
  /** This save submitted or amended the response (false: a draft was saved). */
  submitted: boolean;
  questionnaireTitle?: string;
  findings: SafetyFinding[];
  /** `Practitioner/<id>` who must act: see README "Safety alerts" for how it is chosen. */
  responsible: string | null;
  actor: { fhirUser: string; role: string; requestId: string | null };
}

/** A rule that cannot run on a half-answered draft is judged at submission, where it is raised anyway (fail safe). */
function findingsJudged(input: Pick<RaiseInput, 'submitted' | 'findings'>): SafetyFinding[] {
  return input.submitted ? input.findings : input.findings.filter((f) => f.error === undefined);
}

/**
 * Whether `raise` would neither read nor write anything and answer no alert: a response stored for the first time
 * (it has no alerts yet) on which no rule fires. Its save then writes its audit row in the statement of its own rows.
 */
export function raisesNone(input: Pick<RaiseInput, 'fresh' | 'submitted' | 'findings'>): boolean {
  return input.fresh === true && !findingsJudged(input).length;
}

/**
 * Whether a rule that fires on this save needs a new alert, given the latest alert of the same response and rule:
 * an open one already covers it; after a follow-up only a worse answer (a higher level) needs a person again, or a
 * rule that had failed to evaluate and now fires for certain.
 */
export function needsNewAlert(latest: Pick<SafetyAlert, 'status' | 'level' | 'evaluationFailed'> | null, f: SafetyFinding): boolean {
  if (!latest) return true;
  if (latest.status === 'open' || f.error !== undefined) return false;
  if (latest.evaluationFailed) return true;
  return f.level !== null && latest.level !== null && f.level > latest.level;
}

/**
 * Safety alerts: raised when a saved response (draft or submission) triggers a rule, in the save's transaction,
 * with a high-priority EHR Task and a Communication to the responsible clinician; listed at once, open until a
 * clinician records follow-up; escalated by AlertEscalationWorker when left open too long.
 */
@Injectable()
export class SafetyService {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly questionnaires: QuestionnairesService,
  ) {}

  /** Stores the alerts this save needs, writes them back, audits them; returns the response's open alerts. */
  async raise(m: EntityManager, input: RaiseInput): Promise<AlertView[]> {
    const r = input.response;
    const repo = m.getRepository(SafetyAlert);
    const now = new Date();
    if (input.submitted && !input.fresh) await repo.update({ responseId: r.id, responseSubmittedAt: IsNull() }, { responseSubmittedAt: now });
    if (raisesNone(input)) return [];
    const findings = findingsJudged(input);
    for (const f of findings) {
      const latest = input.fresh ? null : await repo.findOne({ where: { responseId: r.id, ruleId: f.ruleId }, order: { raisedAt: 'DESC' } });
      if (latest?.status === 'open' && f.level !== null && (latest.level === null || f.level > latest.level)) {
        // The open alert covers the worse answer: its follow-up is judged against the response as it now stands.
        await repo.update({ id: latest.id }, { level: f.level });
      }
      if (!needsNewAlert(latest, f)) continue;
      const inserted = await m.createQueryBuilder().insert().into(SafetyAlert).values({
        registrationId: r.registrationId, responseId: r.id, patientId: r.patientId, subjectType: r.subjectType, subjectId: r.subjectId,
        answerMode: r.answerMode, author: r.author, questionnaire: r.questionnaire, ruleId: f.ruleId, severity: f.severity, message: f.message,
        evaluationFailed: f.error !== undefined, level: f.level, raisedOnDraft: !input.submitted, responseSubmittedAt: input.submitted ? now : null,
        responsible: input.responsible, raisedAt: now,
      }).orIgnore().returning('id').execute();
      // The partial unique index (one open alert per response and rule) makes a concurrent second raise a no-op.
      const id = (inserted.raw as { id: string }[])[0]?.id;
      if (!id) continue;
      const alert = await repo.findOneByOrFail({ id });
      await this.outbox.enqueue(m, { registrationId: r.registrationId, patientKey: outboxKey.patient(r.patientId), kind: 'safety-alert.raised', businessKey: `safety-alert.raised:${alert.id}`, bundle: alertRaisedBundle(factsOf(alert, input.questionnaireTitle)) });
      await this.audit.record({
        action: 'safety-alert.raise', outcome: 'success', actor: input.actor.fhirUser, actorRole: input.actor.role, requestId: input.actor.requestId,
        patientId: r.patientId, resourceType: 'SafetyAlert', resourceId: alert.id,
        detail: {
          ruleId: alert.ruleId, severity: alert.severity, responseId: r.id, responsible: alert.responsible, evaluationFailed: alert.evaluationFailed,
          subject: `${alert.subjectType}/${alert.subjectId}`, answerMode: alert.answerMode, draft: alert.raisedOnDraft, level: alert.level,
        },
      }, m);
    }
    return (await repo.find({ where: { responseId: r.id, status: 'open' }, order: { raisedAt: 'ASC' } })).map(alertViewOf);
  }

  /**
   * Clinicians: alerts of the patient in context. Coordinators: the clinic's, optionally one patient's; with a
   * patient in context (launched from their chart), that patient's.
   */
  async list(user: SessionUser, f: { status?: AlertStatus; patient?: string; escalated?: boolean }): Promise<AlertView[]> {
    const patient = user.role === 'coordinator' ? (f.patient ?? user.patientId ?? undefined) : (f.patient ?? user.patientId ?? '');
    if (patient !== undefined) assertCanAccessPatient(user, patient);
    const rows = await this.ds.getRepository(SafetyAlert).find({
      where: {
        registrationId: user.registrationId,
        ...(patient !== undefined ? { patientId: patient } : {}),
        ...(f.status ? { status: f.status } : {}),
        ...(f.escalated !== undefined ? { escalatedAt: f.escalated ? Not(IsNull()) : IsNull() } : {}),
      },
      order: { raisedAt: 'DESC' },
      take: 200,
    });
    return rows.map(alertViewOf);
  }

  /** Closes an open alert with what was done and why; its EHR Task (and escalation Task) completed in the same unit of work. */
  async followUp(user: SessionUser, id: string, input: { action: FollowUpAction; note: string }, requestId: string | null): Promise<AlertView> {
    return this.ds.transaction(async (m) => {
      const alert = await m.getRepository(SafetyAlert).findOne({ where: { id, registrationId: user.registrationId }, lock: { mode: 'pessimistic_write' } });
      if (!alert) throw new DomainError('QUESTIONNAIRES.NOT_FOUND', 'No such alert.');
      assertCanAccessPatient(user, alert.patientId);
      if (alert.status !== 'open') throw new DomainError('QUESTIONNAIRES.ALERT_CLOSED', 'Follow-up for this alert is already recorded.');
      const at = new Date();
      Object.assign(alert, { status: 'followed-up', followedUpAt: at, followedUpBy: user.fhirUser, followUpAction: input.action, followUpNote: input.note });
      await m.getRepository(SafetyAlert).save(alert);
      const title = (await this.questionnaires.find(user.registrationId, alert.questionnaire, m))?.questionnaire.title;
      const bundle = alertFollowUpBundle(factsOf(alert, title), { by: user.fhirUser, at: at.toISOString(), action: input.action, note: input.note });
      await this.outbox.enqueue(m, { registrationId: alert.registrationId, patientKey: outboxKey.patient(alert.patientId), kind: 'safety-alert.followed-up', businessKey: `safety-alert.followed-up:${alert.id}`, bundle });
      await this.audit.record({
        action: 'safety-alert.follow-up', outcome: 'success', actor: user.fhirUser, actorRole: user.role, requestId, patientId: alert.patientId,
        resourceType: 'SafetyAlert', resourceId: alert.id, detail: { ruleId: alert.ruleId, action: input.action, escalated: alert.escalatedAt !== null },
      }, m);
      return alertViewOf(alert);
    });
  }
}
