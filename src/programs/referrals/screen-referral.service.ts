import { Injectable } from '@nestjs/common';
import type { CodeableConcept } from 'fhir/r4.js';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { holdsSeat, transition, type JourneyEvent } from './journey.rules.js';
import { WITHDRAWAL_REASONS, withdrawalReasonConcept, type WithdrawalReason } from '../enrolments/withdrawal-reasons.js';
import { audited, type Actor } from '../shared/actor.js';
import { assertAcceptable, assessEligibility, screeningOutcome } from './eligibility.rules.js';
import { ReferralWriteBack } from './referral-write-back.js';
import type { Referral } from './referral.entity.js';
import { lockReferral } from './referral.repository.js';
import type { ScreeningInput } from './referral.schema.js';
import { referralView } from './referral.views.js';

/** The coordinator's work on a referral: screen it (checklist, consent), accept or decline; or the patient withdraws. */
@Injectable()
export class ScreenReferralService {
  constructor(
    private readonly ds: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly referrals: ReferralWriteBack,
    private readonly audit: AuditService,
  ) {}

  async screen(id: string, input: ScreeningInput, actor: Actor) {
    return this.change(id, 'screen', actor, async (m, r) => {
      const { version } = await this.catalogue.versionById(m, r.programVersionId);
      const eligible = assessEligibility(version.eligibility, input.answers);
      r.screening = { answers: input.answers, eligible, consent: input.consent, screenedBy: actor.user.fhirUser, screenedAt: new Date().toISOString() };
      return { outcome: screeningOutcome(eligible, input.consent.given) };
    });
  }

  async accept(id: string, reason: string | undefined, actor: Actor) {
    return this.change(id, 'accept', actor, async (_m, r) => {
      assertAcceptable(screeningOutcome(r.screening!.eligible, r.screening!.consent.given));
      r.decisionReason = reason ?? null;
      return {};
    });
  }

  async decline(id: string, reason: string, actor: Actor) {
    return this.change(id, 'decline', actor, async (_m, r) => {
      r.decisionReason = reason;
      return {};
    });
  }

  /** The patient withdraws before being enrolled (once enrolled: POST /api/enrolments/:id/withdraw). */
  async withdraw(id: string, input: { reason: WithdrawalReason; note?: string }, actor: Actor) {
    return this.change(id, 'withdraw', actor, async (_m, r) => {
      if (holdsSeat(r.status)) throw new DomainError('PROGRAMS.ILLEGAL_TRANSITION', 'This patient is enrolled: withdraw the enrolment instead.');
      r.decisionReason = input.note ?? WITHDRAWAL_REASONS[input.reason];
      return { reason: input.reason };
    }, withdrawalReasonConcept(input.reason, input.note));
  }

  /** Lock, check the transition, apply, save + Task update + audit: all or nothing. */
  private async change(id: string, event: JourneyEvent, actor: Actor, apply: (m: EntityManager, r: Referral) => Promise<Record<string, unknown>>, reason: CodeableConcept | null = null) {
    return this.ds.transaction(async (m) => {
      const r = await lockReferral(m, id, actor);
      const previous = r.status;
      const next = transition(previous, event);
      const detail = await apply(m, r);
      r.status = next;
      const statusReason = reason ?? (next === 'declined' ? { text: r.decisionReason ?? 'Declined' } : null);
      const saved = await this.referrals.saveAndEnqueue(m, r, { kind: `referral.${next}`, previous, statusReason }, actor);
      await this.audit.record({ action: `referral.${event}`, outcome: 'success', ...audited(actor), resourceType: 'Task', resourceId: saved.id, patientId: saved.patientId, detail: { from: previous, to: next, ...detail } }, m);
      const { program, version } = await this.catalogue.versionById(m, saved.programVersionId);
      return referralView(saved, program, version);
    });
  }
}
