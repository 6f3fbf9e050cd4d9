import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { AppointmentWriteBack } from '../cohorts/appointment-write-back.js';
import { wallTimeAt } from '../cohorts/zoned-time.js';
import { ReferralWriteBack } from '../referrals/referral-write-back.js';
import { lockReferral } from '../referrals/referral.repository.js';
import { audited, type Actor } from '../shared/actor.js';
import { CarePlanWrite } from './care-plan-write.js';
import { EnrolmentTimepoints } from './enrolment-timepoints.js';
import { EnrolmentQueries } from './enrolment.queries.js';
import { endParticipants, lockEnrolment } from './enrolment.repository.js';
import { transition } from '../referrals/journey.rules.js';
import type { WithdrawInput } from './enrolment.schema.js';
import { withdrawalReasonConcept } from './withdrawal-reasons.js';

/**
 * A participant leaves the program: coded reason and date. The Task is cancelled, the ServiceRequest and the
 * CarePlan revoked (one Bundle), and the cohort's coming sessions no longer list them (another Bundle).
 */
@Injectable()
export class WithdrawEnrolmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly referrals: ReferralWriteBack,
    private readonly carePlans: CarePlanWrite,
    private readonly appointments: AppointmentWriteBack,
    private readonly queries: EnrolmentQueries,
    private readonly timepoints: EnrolmentTimepoints,
    private readonly audit: AuditService,
  ) {}

  async withdraw(id: string, input: WithdrawInput, actor: Actor) {
    if (input.date > wallTimeAt(Date.now(), 'Pacific/Kiritimati').date) {
      // No zone is ahead of UTC+14: a date after "today" there is in the future everywhere.
      throw new DomainError('COMMON.VALIDATION', 'The request is invalid.', [{ message: 'date: a withdrawal cannot be dated in the future', expression: 'date' }]);
    }
    await this.ds.transaction(async (m) => {
      const e = await lockEnrolment(m, id, actor);
      const referral = await lockReferral(m, e.referralId, actor);
      const previous = referral.status;
      referral.status = transition(previous, 'withdraw');
      e.endDate = input.date;
      e.withdrawalReason = input.reason;
      e.withdrawalNote = input.note ?? null;
      await endParticipants(m, e.id, new Date());
      const reason = withdrawalReasonConcept(input.reason, input.note);
      const carePlan = await this.carePlans.entry(m, e, 'withdrawn', reason);
      await this.referrals.saveAndEnqueue(m, referral, { kind: 'enrolment.withdrawn', previous, statusReason: reason, carePlan }, actor);
      await this.appointments.rosterChanged(m, e, actor);
      await this.timepoints.cancelForEnrolment(m, { registrationId: e.registrationId, enrolmentId: e.id, actor: actor.user.fhirUser });
      await this.audit.record({ action: 'enrolment.withdraw', outcome: 'success', ...audited(actor), resourceType: 'CarePlan', resourceId: e.id, patientId: e.patientId, detail: { reason: input.reason, from: previous } }, m);
    });
    return this.queries.get(id, actor);
  }
}
