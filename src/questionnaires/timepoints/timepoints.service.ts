import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { APP_DEVICE } from '../../fhir/business-identifier.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { transactionBundle } from '../../fhir/write-back.fhir.js';
import { QuestionnairesService } from '../definitions/questionnaires.service.js';
import { canonicalOf, parseCanonical } from '../engine/canonical.js';
import { TIMEPOINTS, type SubjectType } from '../questionnaire.vocabulary.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { ref } from '../../fhir/references.js';
import { questionnaireTask } from './assignment.fhir.js';
import { addDays, isCalendarDate } from './due-window.js';
import { taskFactsOf } from './assignment-facts.js';
import { QuestionnaireAssignment } from './questionnaire-assignment.entity.js';
import { FHIR_ID, referencePattern } from '../../fhir/ids.js';

const fhirId = z.string().regex(FHIR_ID);
const practitioner = z.string().regex(referencePattern('Practitioner'));

/** The programs module's call (see README "Hook for the programs module"). Days are relative to cohortStart. */
export const scheduleInput = z.object({
  enrolmentId: z.uuid(),
  registrationId: z.uuid(),
  patientId: fhirId,
  caregivers: z.array(z.object({ relatedPersonId: fhirId })).max(10),
  programTimepoints: z.array(z.object({
    timepoint: z.enum(TIMEPOINTS),
    questionnaires: z.array(z.string().min(1).max(300)).min(1).max(20),
    dueFromDays: z.number().int().min(-365).max(730),
    dueUntilDays: z.number().int().min(-365).max(730),
  })).max(10),
  cohortStart: z.string().refine(isCalendarDate, 'must be a date such as 2026-03-02'),
  cohortId: z.uuid().nullish(),
  /** Receives safety alerts raised by these forms: the enrolment's clinician (referral requester or therapist). */
  responsiblePractitioner: practitioner.nullish(),
  /** fhirUser who enrolled (the Tasks' Provenance acts on their behalf); the app itself when absent. */
  actor: z.string().max(200).nullish(),
});
export type ScheduleInput = z.input<typeof scheduleInput>;

/**
 * Turns a program's questionnaire timepoints into due forms for every participant of an enrolment, each an
 * SDC Task in the EHR, inside the CALLER's transaction. Idempotent: scheduling the same enrolment again
 * creates nothing twice.
 */
@Injectable()
export class TimepointsService {
  constructor(
    private readonly questionnaires: QuestionnairesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  async scheduleForEnrolment(m: EntityManager, raw: ScheduleInput): Promise<{ created: QuestionnaireAssignment[] }> {
    const input = scheduleInput.parse(raw);
    const participants: { type: SubjectType; id: string }[] = [
      { type: 'Patient', id: input.patientId },
      ...input.caregivers.map((c) => ({ type: 'RelatedPerson' as const, id: c.relatedPersonId })),
    ];
    const rows: Partial<QuestionnaireAssignment>[] = [];
    for (const tp of input.programTimepoints) {
      const [dueFrom, dueUntil] = [addDays(input.cohortStart, tp.dueFromDays), addDays(input.cohortStart, tp.dueUntilDays)];
      for (const wanted of tp.questionnaires) {
        const definition = await this.questionnaires.find(input.registrationId, wanted, m);
        if (!definition) throw new DomainError('QUESTIONNAIRES.UNKNOWN_QUESTIONNAIRE', `The program names an unknown questionnaire: ${wanted}`);
        const subjectTypes = definition.questionnaire.subjectType;
        for (const p of participants.filter((x) => !subjectTypes?.length || subjectTypes.includes(x.type))) {
          rows.push({
            id: randomUUID(), registrationId: input.registrationId, enrolmentId: input.enrolmentId, cohortId: input.cohortId ?? null,
            patientId: input.patientId, subjectType: p.type, subjectId: p.id, questionnaire: canonicalOf(definition.questionnaire),
            questionnaireUrl: parseCanonical(wanted).url, timepoint: tp.timepoint, dueFrom, dueUntil, status: 'due',
            responsible: input.responsiblePractitioner ?? null,
          });
        }
      }
    }
    if (!rows.length) return { created: [] };
    const inserted = await m.createQueryBuilder().insert().into(QuestionnaireAssignment).values(rows).orIgnore().returning('id').execute();
    const ids = (inserted.raw as { id: string }[]).map((r) => r.id);
    if (!ids.length) return { created: [] };
    const created = await m.getRepository(QuestionnaireAssignment).find({ where: ids.map((id) => ({ id })), order: { dueFrom: 'ASC' } });
    await this.writeTasks(m, input.registrationId, input.patientId, created, input.actor ?? null, `scheduled:${input.enrolmentId}`);
    await this.audit.record({
      action: 'questionnaire-assignment.schedule', outcome: 'success', actor: input.actor ?? 'system', patientId: input.patientId,
      resourceType: 'Enrolment', resourceId: input.enrolmentId, detail: { created: created.length },
    }, m);
    return { created };
  }

  /**
   * Withdrawal or end of an enrolment: its open forms are cancelled, and so are their EHR Tasks. The open forms are
   * locked as they are read (a submission claims its form the same way, AssignmentsService.claim): a form being
   * submitted at this moment is read once that submission has committed, as completed, and left alone; read
   * without the lock it was still "due" here, and this UPDATE turned the completed form into a cancelled one and
   * sent the EHR a cancelled Task after the completed one.
   */
  async cancelForEnrolment(m: EntityManager, input: { registrationId: string; enrolmentId: string; actor?: string | null }): Promise<number> {
    const repo = m.getRepository(QuestionnaireAssignment);
    const mine = { registrationId: input.registrationId, enrolmentId: input.enrolmentId };
    const open = await repo.find({ where: [{ ...mine, status: 'due' }, { ...mine, status: 'in-progress' }], order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    if (!open.length) return 0;
    await repo.update(open.map((a) => a.id), { status: 'cancelled', updatedAt: new Date() });
    for (const a of open) a.status = 'cancelled';
    await this.writeTasks(m, input.registrationId, open[0].patientId, open, input.actor ?? null, `cancelled:${input.enrolmentId}`);
    await this.audit.record({
      action: 'questionnaire-assignment.cancel', outcome: 'success', actor: input.actor ?? 'system', patientId: open[0].patientId,
      resourceType: 'Enrolment', resourceId: input.enrolmentId, detail: { cancelled: open.length },
    }, m);
    return open.length;
  }

  private async writeTasks(m: EntityManager, registrationId: string, patientId: string, rows: QuestionnaireAssignment[], actor: string | null, what: string): Promise<void> {
    const entries = [];
    for (const a of rows) {
      const title = (await this.questionnaires.find(registrationId, a.questionnaire, m))?.questionnaire.title;
      const status = a.status === 'cancelled' ? 'cancelled' : 'requested';
      entries.push({ resource: questionnaireTask(taskFactsOf(a, title), status), businessIdentifier: writeBackIds.assignmentTask(a.id), mode: status === 'cancelled' ? ('update' as const) : ('create' as const) });
    }
    const bundle = transactionBundle(entries, { agent: APP_DEVICE, ...(actor ? { onBehalfOf: ref(actor) } : {}), recorded: new Date() });
    const digest = createHash('sha256').update(rows.map((r) => r.id).sort().join(',')).digest('hex').slice(0, 16);
    await this.outbox.enqueue(m, { registrationId, patientKey: outboxKey.patient(patientId), kind: `questionnaire-task.${what.split(':')[0]}`, businessKey: `questionnaire-tasks.${what}:${digest}`, bundle });
  }
}
