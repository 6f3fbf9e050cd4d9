import { Injectable } from '@nestjs/common';
import type { CodeableConcept } from 'fhir/r4.js';
import type { EntityManager } from 'typeorm';
import { referenceTo } from '../../fhir/business-identifier.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { ref } from '../../fhir/references.js';
import { transactionBundle, type WriteBackEntry } from '../../fhir/write-back.fhir.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import type { JourneyState } from './journey.rules.js';
import type { Actor } from '../shared/actor.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { versionedCanonical } from '../shared/program-codes.js';
import { screeningOutcome } from './eligibility.rules.js';
import { Referral } from './referral.entity.js';
import { referralEntries, type ReferralFacts } from './referral.fhir.js';

export interface ReferralChange {
  /** Outbox kind, e.g. `referral.screened`. */
  kind: string;
  /** The state before the change; null when the referral is new. */
  previous: JourneyState | null;
  statusReason?: CodeableConcept | null;
  /** The enrolment's CarePlan (enrolment, withdrawal, completion), in the same Bundle: the Task's output. */
  carePlan?: WriteBackEntry;
}

/**
 * Saves a referral whose state just changed and enqueues, in the same transaction, the ServiceRequest + Task
 * write (plus the enrolment's CarePlan) as one Bundle under the patient's ordering key.
 */
@Injectable()
export class ReferralWriteBack {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly outbox: OutboxService,
  ) {}

  async saveAndEnqueue(m: EntityManager, referral: Referral, change: ReferralChange, actor: Actor): Promise<Referral> {
    referral.revision += 1;
    const saved = await m.getRepository(Referral).save(referral);
    const at = new Date();
    const carePlan = change.carePlan ? referenceTo(change.carePlan.businessIdentifier) : null;
    const facts = { ...(await this.facts(m, saved, at, change.statusReason ?? null)), carePlan };
    const entries = [...referralEntries(facts, change.previous), ...(change.carePlan ? [change.carePlan] : [])];
    await this.outbox.enqueue(m, {
      registrationId: saved.registrationId,
      patientKey: outboxKey.patient(saved.patientId),
      kind: change.kind,
      businessKey: `${change.kind}:${saved.id}:${saved.revision}`,
      bundle: transactionBundle(entries, { agent: ref(actor.user.fhirUser), recorded: at }),
    });
    return saved;
  }

  private async facts(m: EntityManager, r: Referral, at: Date, statusReason: CodeableConcept | null): Promise<ReferralFacts> {
    const { program, version } = await this.catalogue.versionById(m, r.programVersionId);
    return {
      referralId: r.id,
      patientId: r.patientId,
      caregivers: r.caregivers,
      programTitle: version.title,
      canonical: versionedCanonical(program.slug, version.version),
      reason: r.reason,
      priority: r.priority,
      requester: r.requester,
      authoredOn: r.createdAt.toISOString(),
      lastModified: at.toISOString(),
      state: r.status,
      screeningOutcome: r.screening ? screeningOutcome(r.screening.eligible, r.screening.consent.given) : null,
      statusReason,
    };
  }
}
