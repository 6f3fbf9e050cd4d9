import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { QuestionnairesService } from '../definitions/questionnaires.service.js';
import type { AlertStatus, FollowUpAction } from '../questionnaire.vocabulary.js';
import type { QuestionnaireResponse } from '../responses/questionnaire-response.entity.js';
import type { SafetyFinding } from '../safety.js';
import { patientKey } from '../write-back.ids.js';
import { alertViewOf, factsOf, type AlertView } from './alert-views.js';
import { SafetyAlert } from './safety-alert.entity.js';
import { alertFollowUpBundle, alertRaisedBundle } from './safety.fhir.js';

export interface RaiseInput {
  response: QuestionnaireResponse;
  questionnaireTitle?: string;
  findings: SafetyFinding[];
  /** `Practitioner/<id>` who must act: see README "Safety alerts" for how it is chosen. */
  responsible: string | null;
  actor: { fhirUser: string; role: string; requestId: string | null };
}

/**
 * Safety alerts: raised at submit (in the submit's transaction) with a high-priority EHR Task and a
 * Communication to the responsible clinician, listed at once, open until a clinician records follow-up.
 */
@Injectable()
export class SafetyService {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly questionnaires: QuestionnairesService,
  ) {}

  /** Stores new alerts (one per response and rule), writes them back, audits them; returns the response's open alerts. */
  async raise(m: EntityManager, input: RaiseInput): Promise<AlertView[]> {
    const r = input.response;
    const repo = m.getRepository(SafetyAlert);
    if (input.findings.length) {
      const now = new Date();
      const values = input.findings.map((f) => ({
        registrationId: r.registrationId, responseId: r.id, patientId: r.patientId, questionnaire: r.questionnaire, ruleId: f.ruleId,
        severity: f.severity, message: f.message, evaluationFailed: f.error !== undefined, responsible: input.responsible, raisedAt: now,
      }));
      const inserted = await m.createQueryBuilder().insert().into(SafetyAlert).values(values).orIgnore().returning('id').execute();
      const created = await repo.findBy({ id: In((inserted.raw as { id: string }[]).map((x) => x.id)) });
      for (const alert of created) {
        const facts = factsOf(alert, input.questionnaireTitle);
        await this.outbox.enqueue(m, { registrationId: r.registrationId, patientKey: patientKey(r.patientId), kind: 'safety-alert.raised', businessKey: `safety-alert.raised:${alert.id}`, bundle: alertRaisedBundle(facts) });
        await this.audit.record({
          action: 'safety-alert.raise', outcome: 'success', actor: input.actor.fhirUser, actorRole: input.actor.role, requestId: input.actor.requestId,
          patientId: r.patientId, resourceType: 'SafetyAlert', resourceId: alert.id,
          detail: { ruleId: alert.ruleId, severity: alert.severity, responseId: r.id, responsible: alert.responsible, evaluationFailed: alert.evaluationFailed },
        }, m);
      }
    }
    return (await repo.find({ where: { responseId: r.id, status: 'open' }, order: { raisedAt: 'ASC' } })).map(alertViewOf);
  }

  /** Clinicians: alerts of the patient in context. Coordinators: the clinic's, optionally one patient's. */
  async list(user: SessionUser, f: { status?: AlertStatus; patient?: string }): Promise<AlertView[]> {
    const patient = user.role === 'coordinator' ? f.patient : (f.patient ?? user.patientId ?? '');
    if (patient !== undefined) assertCanAccessPatient(user, patient);
    const rows = await this.ds.getRepository(SafetyAlert).find({
      where: { registrationId: user.registrationId, ...(patient !== undefined ? { patientId: patient } : {}), ...(f.status ? { status: f.status } : {}) },
      order: { raisedAt: 'DESC' },
      take: 200,
    });
    return rows.map(alertViewOf);
  }

  /** Closes an open alert with what was done; the EHR Task is completed in the same unit of work. */
  async followUp(user: SessionUser, id: string, input: { action: FollowUpAction; note?: string }, requestId: string | null): Promise<AlertView> {
    return this.ds.transaction(async (m) => {
      const alert = await m.getRepository(SafetyAlert).findOne({ where: { id, registrationId: user.registrationId }, lock: { mode: 'pessimistic_write' } });
      if (!alert) throw new DomainError('QUESTIONNAIRES.NOT_FOUND', 'No such alert.');
      assertCanAccessPatient(user, alert.patientId);
      if (alert.status !== 'open') throw new DomainError('QUESTIONNAIRES.ALERT_CLOSED', 'Follow-up for this alert is already recorded.');
      const at = new Date();
      Object.assign(alert, { status: 'followed-up', followedUpAt: at, followedUpBy: user.fhirUser, followUpAction: input.action, followUpNote: input.note ?? null });
      await m.getRepository(SafetyAlert).save(alert);
      const title = (await this.questionnaires.find(user.registrationId, alert.questionnaire, m))?.questionnaire.title;
      const bundle = alertFollowUpBundle(factsOf(alert, title), { by: user.fhirUser, at: at.toISOString(), action: input.action, note: input.note });
      await this.outbox.enqueue(m, { registrationId: alert.registrationId, patientKey: patientKey(alert.patientId), kind: 'safety-alert.followed-up', businessKey: `safety-alert.followed-up:${alert.id}`, bundle });
      await this.audit.record({
        action: 'safety-alert.follow-up', outcome: 'success', actor: user.fhirUser, actorRole: user.role, requestId, patientId: alert.patientId,
        resourceType: 'SafetyAlert', resourceId: alert.id, detail: { ruleId: alert.ruleId, action: input.action },
      }, m);
      return alertViewOf(alert);
    });
  }
}
