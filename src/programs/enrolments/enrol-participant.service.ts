import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { CatalogueService, type LoadedVersion } from '../catalogue/catalogue.service.js';
import { AppointmentWriteBack } from '../cohorts/appointment-write-back.js';
import type { Cohort } from '../cohorts/cohort.entity.js';
import { CohortsService, seatsTaken } from '../cohorts/cohorts.service.js';
import { wallTimeAt } from '../cohorts/zoned-time.js';
import { ReferralWriteBack } from '../referrals/referral-write-back.js';
import type { Referral } from '../referrals/referral.entity.js';
import { lockReferral } from '../referrals/referral.repository.js';
import { audited, type Actor } from '../shared/actor.js';
import { isUniqueViolation } from '../shared/lookup.js';
import { CarePlanWrite } from './care-plan-write.js';
import { EnrolmentParticipant } from './enrolment-participant.entity.js';
import { Enrolment } from './enrolment.entity.js';
import { transition } from '../referrals/journey.rules.js';
import type { EnrolInput } from './enrolment.schema.js';
import { EnrolmentTimepoints } from './enrolment-timepoints.js';
import { EnrolmentQueries } from './enrolment.queries.js';

/**
 * Enrols an accepted referral's patient (and caregivers) into a cohort, or into an individual program.
 * Capacity holds under concurrency: the cohort row is locked (SELECT … FOR UPDATE) before seats are counted,
 * so two enrolments into one cohort run one after the other. A person already active in the program is
 * refused here, and by the partial unique index should two requests race past this check.
 */
@Injectable()
export class EnrolParticipantService {
  constructor(
    private readonly ds: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly cohorts: CohortsService,
    private readonly referrals: ReferralWriteBack,
    private readonly carePlans: CarePlanWrite,
    private readonly appointments: AppointmentWriteBack,
    private readonly queries: EnrolmentQueries,
    private readonly timepoints: EnrolmentTimepoints,
    private readonly audit: AuditService,
  ) {}

  async enrol(input: EnrolInput, actor: Actor) {
    const id = await this.ds.transaction(async (m) => {
      const referral = await lockReferral(m, input.referralId, actor);
      const previous = referral.status;
      referral.status = transition(previous, 'enrol');
      const { version, cohort } = await this.placement(m, referral, input, actor);
      const people = [`Patient/${referral.patientId}`, ...(input.caregivers ?? referral.caregivers)];
      await assertNotEnrolled(m, actor.user.registrationId, referral.programId, people);
      if (cohort && (await seatsTaken(m, cohort.id)) + people.length > cohort.capacity) {
        throw new DomainError('PROGRAMS.COHORT_FULL', `Cohort '${cohort.name}' has ${cohort.capacity} seats; ${people.length} more do not fit.`, [{ message: 'no seats left', expression: 'cohortId' }]);
      }
      const enrolment = await m.getRepository(Enrolment).save(
        m.getRepository(Enrolment).create({
          referralId: referral.id,
          registrationId: actor.user.registrationId,
          patientId: referral.patientId,
          programId: referral.programId,
          programVersionId: version.version.id,
          cohortId: cohort?.id ?? null,
          facilitator: cohort?.facilitator ?? input.facilitator!,
          startDate: cohort?.startDate ?? input.startDate ?? wallTimeAt(Date.now(), 'UTC').date,
          endDate: null,
          withdrawalReason: null,
          withdrawalNote: null,
          enrolledBy: actor.user.fhirUser,
          revision: 0,
        }),
      );
      await this.addParticipants(m, enrolment, people);
      const carePlan = await this.carePlans.entry(m, enrolment, 'enrolled');
      await this.referrals.saveAndEnqueue(m, referral, { kind: 'enrolment.created', previous, carePlan }, actor);
      await this.appointments.rosterChanged(m, enrolment, actor);
      await this.timepoints.scheduleForEnrolment(m, {
        enrolmentId: enrolment.id,
        registrationId: enrolment.registrationId,
        patientId: enrolment.patientId,
        caregivers: people.slice(1).map((c) => ({ relatedPersonId: c.split('/')[1] })),
        programTimepoints: version.version.timepoints.map((tp) => ({ timepoint: tp.code, questionnaires: tp.instruments, dueFromDays: tp.dueFromDays, dueUntilDays: tp.dueToDays })),
        cohortStart: enrolment.startDate,
        cohortId: enrolment.cohortId,
        // Safety alerts go to the referring clinician, or to the facilitator when a coordinator referred.
        responsiblePractitioner: referral.requester.startsWith('Practitioner/') ? referral.requester : enrolment.facilitator,
        actor: actor.user.fhirUser,
      });
      await this.audit.record({ action: 'enrolment.create', outcome: 'success', ...audited(actor), resourceType: 'CarePlan', resourceId: enrolment.id, patientId: enrolment.patientId, detail: { cohortId: enrolment.cohortId, people: people.length } }, m);
      return enrolment.id;
    });
    return this.queries.get(id, actor);
  }

  /** The cohort (locked) and its version for a group course; the current version for an individual program. */
  private async placement(m: EntityManager, r: Referral, input: EnrolInput, actor: Actor): Promise<{ version: LoadedVersion; cohort: Cohort | null }> {
    const referred = await this.catalogue.versionById(m, r.programVersionId);
    if (referred.program.kind === 'individual') {
      if (input.cohortId) throw wrongProgram('Individual programs have no cohorts: book sessions after enrolling.', 'cohortId');
      if (!input.facilitator) throw new DomainError('COMMON.VALIDATION', 'The request is invalid.', [{ message: 'facilitator: the therapist is required for individual sessions', expression: 'facilitator' }]);
      return { version: await this.catalogue.version(m, referred.program.id), cohort: null };
    }
    if (!input.cohortId) throw new DomainError('COMMON.VALIDATION', 'The request is invalid.', [{ message: 'cohortId: a group course needs a cohort', expression: 'cohortId' }]);
    const cohort = await this.cohorts.find(m, input.cohortId, actor, true);
    const version = await this.catalogue.versionById(m, cohort.programVersionId);
    if (version.program.id !== r.programId) throw wrongProgram(`The cohort runs '${version.program.slug}', not the program of the referral.`, 'cohortId');
    return { version, cohort };
  }

  private async addParticipants(m: EntityManager, e: Enrolment, people: string[]): Promise<void> {
    const repo = m.getRepository(EnrolmentParticipant);
    const rows = people.map((person, i) =>
      repo.create({ enrolmentId: e.id, registrationId: e.registrationId, programId: e.programId, cohortId: e.cohortId, person, role: i === 0 ? 'patient' : 'caregiver', endedAt: null }),
    );
    try {
      await repo.insert(rows);
    } catch (err) {
      if (isUniqueViolation(err, 'uq_enrolment_participant_active')) throw alreadyEnrolled(people);
      throw err;
    }
  }
}

async function assertNotEnrolled(m: EntityManager, registrationId: string, programId: string, people: string[]): Promise<void> {
  const active: { person: string }[] = await m.query(
    `SELECT person FROM enrolment_participant WHERE registration_id = $1 AND program_id = $2 AND person = ANY($3::text[]) AND ended_at IS NULL`,
    [registrationId, programId, people],
  );
  if (active.length) throw alreadyEnrolled(active.map((a) => a.person));
}

const alreadyEnrolled = (people: string[]) =>
  new DomainError(
    'PROGRAMS.ALREADY_ENROLLED',
    'Someone here already holds an active enrolment in this program.',
    people.map((p) => ({ message: `${p} is already enrolled in this program`, expression: 'people' })),
  );
const wrongProgram = (message: string, expression: string) => new DomainError('PROGRAMS.WRONG_PROGRAM', message, [{ message, expression }]);
