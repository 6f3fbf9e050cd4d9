import { Injectable } from '@nestjs/common';
import type { Reference } from 'fhir/r4.js';
import { DataSource, Not, type EntityManager } from 'typeorm';
import { assertCanAccessPatient, patientScope } from '../../common/auth/patient-access.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { transactionBundle } from '../../fhir/write-back.fhir.js';
import type { AssignmentStatus } from '../questionnaire.vocabulary.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { parseReference, ref } from '../../fhir/references.js';
import { QuestionnaireResponse } from '../responses/questionnaire-response.entity.js';
import { questionnaireTask } from './assignment.fhir.js';
import { assignmentView, taskFactsOf, type AssignmentView } from './assignment-facts.js';
import { availabilityOf, todayUtc } from './due-window.js';
import { QuestionnaireAssignment } from './questionnaire-assignment.entity.js';

export interface AssignmentFilter {
  status?: AssignmentStatus | 'overdue';
  patient?: string;
  cohort?: string;
}

/** Due forms: the worklist, and the transitions a response drives (due → in-progress → completed). */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Coordinators see every due form of their clinic (by cohort, patient, status or overdue); a clinician those
   * of the patient in context; a patient their own; a caregiver their own and their patient's (they may enter
   * the patient's answers). What can be answered today comes first (overdue, then by the end of its window),
   * then what is not open yet (opening soonest first), then completed and cancelled forms.
   */
  async list(user: SessionUser, f: AssignmentFilter): Promise<AssignmentView[]> {
    const today = todayUtc();
    const q = this.visibleTo(user, f.patient)
      .orderBy(`CASE WHEN a.status IN ('due', 'in-progress') AND a.dueFrom <= :today THEN 0 WHEN a.status IN ('due', 'in-progress') THEN 1 ELSE 2 END`, 'ASC')
      .addOrderBy('a.dueUntil', 'ASC').addOrderBy('a.dueFrom', 'ASC').addOrderBy('a.id', 'ASC')
      .setParameter('today', today)
      .limit(500);
    if (f.cohort) q.andWhere('a.cohortId = :cohort', { cohort: f.cohort });
    if (f.status === 'overdue') q.andWhere("a.status IN ('due', 'in-progress') AND a.dueUntil < :today");
    else if (f.status) q.andWhere('a.status = :status', { status: f.status });
    return (await q.getMany()).map((a) => assignmentView(a, today));
  }

  /** One due form the user may see (the player checks it is open before anyone spends effort on it). */
  async get(user: SessionUser, id: string): Promise<AssignmentView> {
    const a = await this.visibleTo(user).andWhere('a.id = :id', { id }).getOne();
    if (!a) throw new DomainError('QUESTIONNAIRES.NOT_FOUND', 'No such questionnaire assignment.');
    return assignmentView(a);
  }

  /**
   * The due forms this user may see: the whole EHR for a coordinator (only the patient in context when launched
   * with one), else the patient in context (and own forms).
   */
  private visibleTo(user: SessionUser, patient?: string) {
    const q = this.ds.getRepository(QuestionnaireAssignment).createQueryBuilder('a').where('a.registrationId = :rid', { rid: user.registrationId });
    if (user.role !== 'coordinator') {
      const patientId = user.patientId ?? '';
      if (patient && patient !== patientId) assertCanAccessPatient(user, patient);
      assertCanAccessPatient(user, patientId);
      q.andWhere('a.patientId = :pid', { pid: patientId });
      const { type: meType, id: meId } = parseReference(user.fhirUser) ?? { type: '', id: '' };
      if (user.role === 'patient') q.andWhere('a.subjectType = :meType AND a.subjectId = :meId', { meType, meId });
      if (user.role === 'caregiver') q.andWhere("(a.subjectType = 'Patient' OR (a.subjectType = :meType AND a.subjectId = :meId))", { meType, meId });
    } else {
      // A coordinator launched with a patient in context sees that patient's forms only, like every other list.
      if (patient) assertCanAccessPatient(user, patient);
      const pid = patient ?? patientScope(user);
      if (pid !== undefined) q.andWhere('a.patientId = :pid', { pid });
    }
    return q;
  }

  /** The assignment a response is for, locked for the caller's transaction; its window must have opened and it must still be open. */
  async claim(m: EntityManager, registrationId: string, id: string, responseId?: string): Promise<QuestionnaireAssignment> {
    const a = await m.getRepository(QuestionnaireAssignment).findOne({ where: { id, registrationId }, lock: { mode: 'pessimistic_write' } });
    if (!a) throw new DomainError('QUESTIONNAIRES.NOT_FOUND', 'No such questionnaire assignment.');
    if (a.status !== 'due' && a.status !== 'in-progress') {
      throw new DomainError('QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE', `This form is ${a.status}.`);
    }
    // Early answers would distort the outcome at this timepoint; late ones are welcome (overdue, not closed).
    if (availabilityOf(a, todayUtc()) === 'not-yet-open') {
      throw new DomainError('QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE', `This form opens on ${a.dueFrom}; it cannot be started or saved before then.`);
    }
    // Read after the lock (a fresh statement): a response another transaction just linked to it counts.
    const linked = await m.getRepository(QuestionnaireResponse).findOne({ where: { assignmentId: id, status: Not('entered-in-error') }, select: { id: true } });
    if (linked && linked.id !== responseId) {
      throw new DomainError('QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE', `This form already has a response (${linked.id}); resume it instead.`);
    }
    return a;
  }

  /** A draft was started for it: the EHR's Task moves to in-progress (the draft itself is never written back). */
  async started(m: EntityManager, a: QuestionnaireAssignment, actor: string, title?: string): Promise<void> {
    if (a.status !== 'due') return;
    await m.getRepository(QuestionnaireAssignment).update(a.id, { status: 'in-progress', updatedAt: new Date() });
    const bundle = transactionBundle(
      [{ resource: questionnaireTask(taskFactsOf(a, title), 'in-progress'), businessIdentifier: writeBackIds.assignmentTask(a.id), mode: 'update' }],
      { agent: ref(actor), recorded: new Date() },
    );
    await this.outbox.enqueue(m, { registrationId: a.registrationId, patientKey: outboxKey.patient(a.patientId), kind: 'questionnaire-task.in-progress', businessKey: `questionnaire-task.in-progress:${a.id}`, bundle });
  }

  /** Submitted: marks it completed and returns its closed Task, which travels in the response's own Bundle. */
  async completed(m: EntityManager, a: QuestionnaireAssignment, response: Reference, title?: string) {
    await m.getRepository(QuestionnaireAssignment).update(a.id, { status: 'completed', updatedAt: new Date() });
    return { assignmentId: a.id, task: questionnaireTask(taskFactsOf(a, title), 'completed', response) };
  }
}
