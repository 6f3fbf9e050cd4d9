import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { AppointmentWriteBack } from '../cohorts/appointment-write-back.js';
import { Cohort } from '../cohorts/cohort.entity.js';
import { wallTimeAt } from '../cohorts/zoned-time.js';
import { ReferralWriteBack } from '../referrals/referral-write-back.js';
import { lockReferral } from '../referrals/referral.repository.js';
import { audited, type Actor } from '../shared/actor.js';
import { CarePlanWrite } from './care-plan-write.js';
import { assertCompletionMet } from './completion.rules.js';
import { CompletionCheck } from './completion-check.js';
import { EnrolmentQueries } from './enrolment.queries.js';
import { endParticipants, lockEnrolment } from './enrolment.repository.js';
import { transition } from '../referrals/journey.rules.js';

/**
 * Completes an active enrolment when its program version's rule is met (course: ≥ 6 of 8 attended and the
 * post questionnaires done). The Task and ServiceRequest are completed and the CarePlan closed, in one Bundle.
 */
@Injectable()
export class CompleteEnrolmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly completion: CompletionCheck,
    private readonly referrals: ReferralWriteBack,
    private readonly carePlans: CarePlanWrite,
    private readonly appointments: AppointmentWriteBack,
    private readonly queries: EnrolmentQueries,
    private readonly audit: AuditService,
  ) {}

  async complete(id: string, actor: Actor) {
    // The questionnaire port is asked first, outside the transaction (it reads through its own connection).
    const questionnairesDone = await this.completion.questionnairesDone(await lockEnrolment(this.ds.manager, id, actor, false));
    await this.ds.transaction(async (m) => {
      const e = await lockEnrolment(m, id, actor);
      const referral = await lockReferral(m, e.referralId, actor);
      const previous = referral.status;
      referral.status = transition(previous, 'complete');
      const verdict = await this.completion.evaluate(m, e, questionnairesDone);
      assertCompletionMet(verdict);
      const zone = e.cohortId ? (await m.getRepository(Cohort).findOneByOrFail({ id: e.cohortId })).timeZone : 'UTC';
      e.endDate = wallTimeAt(Date.now(), zone).date;
      await endParticipants(m, e.id, new Date());
      const carePlan = await this.carePlans.entry(m, e, 'completed');
      await this.referrals.saveAndEnqueue(m, referral, { kind: 'enrolment.completed', previous, carePlan }, actor);
      await this.appointments.rosterChanged(m, e, actor);
      await this.audit.record({ action: 'enrolment.complete', outcome: 'success', ...audited(actor), resourceType: 'CarePlan', resourceId: e.id, patientId: e.patientId, detail: { attended: verdict.attended } }, m);
    });
    return this.queries.get(id, actor);
  }
}
