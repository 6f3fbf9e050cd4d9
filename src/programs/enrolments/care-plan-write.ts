import { Injectable } from '@nestjs/common';
import type { CodeableConcept } from 'fhir/r4.js';
import type { EntityManager } from 'typeorm';
import { referenceTo } from '../../fhir/business-identifier.js';
import type { WriteBackEntry } from '../../fhir/write-back.fhir.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { Cohort } from '../cohorts/cohort.entity.js';
import { ProgramSession } from '../cohorts/program-session.entity.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { logicalRef } from '../../fhir/references.js';
import { versionedCanonical } from '../shared/program-codes.js';
import { carePlanOf } from './care-plan.fhir.js';
import { EnrolmentParticipant } from './enrolment-participant.entity.js';
import { Enrolment } from './enrolment.entity.js';
import { holdsSeat, type JourneyState } from '../referrals/journey.rules.js';

/**
 * The enrolment's CarePlan entry for the Bundle its referral's Task update travels in (the same unit of work):
 * created at enrolment, replaced (conditional update) at withdrawal or completion. Counts the write.
 */
@Injectable()
export class CarePlanWrite {
  constructor(private readonly catalogue: CatalogueService) {}

  async entry(m: EntityManager, e: Enrolment, state: JourneyState, withdrawalReason: CodeableConcept | null = null): Promise<WriteBackEntry> {
    e.revision += 1;
    await m.getRepository(Enrolment).save(e);
    const { program, version } = await this.catalogue.versionById(m, e.programVersionId);
    const people = await m.getRepository(EnrolmentParticipant).find({ where: { enrolmentId: e.id }, order: { createdAt: 'ASC', person: 'ASC' } });
    // While it runs: the caregivers still taking part; once ended: everyone who took part.
    const caregivers = people.filter((p) => p.role === 'caregiver' && (p.endedAt === null || !holdsSeat(state)));
    const cohort = e.cohortId ? await m.getRepository(Cohort).findOneByOrFail({ id: e.cohortId }) : null;
    const sessions = await m.getRepository(ProgramSession).find({ where: e.cohortId ? { cohortId: e.cohortId } : { enrolmentId: e.id }, order: { sequence: 'ASC' } });
    const resource = carePlanOf({
      patientId: e.patientId,
      caregivers: caregivers.map((p) => p.person),
      facilitator: e.facilitator,
      programTitle: version.title,
      canonical: versionedCanonical(program.slug, version.version),
      state,
      startDate: e.startDate,
      endDate: e.endDate && e.endDate >= e.startDate ? e.endDate : null,
      author: e.enrolledBy,
      created: e.enrolledAt.toISOString(),
      referral: referenceTo(writeBackIds.serviceRequest(e.referralId)),
      activities: sessions.map((s) => logicalRef('Appointment', writeBackIds.appointment(s.id), `Session ${s.sequence}`)),
      withdrawalReason,
      cohortName: cohort?.name ?? null,
    });
    return { resource, businessIdentifier: writeBackIds.carePlan(e.id), mode: e.revision === 1 ? 'create' : 'update' };
  }
}
