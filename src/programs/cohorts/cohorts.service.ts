import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { patientScope } from '../../common/auth/patient-access.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { audited, type Actor } from '../shared/actor.js';
import { isUuid } from '../../common/uuid.js';
import { found, notFound } from '../shared/lookup.js';
import { AppointmentWriteBack } from './appointment-write-back.js';
import { planSessions } from './cohort-schedule.js';
import { Cohort } from './cohort.entity.js';
import type { CohortInput } from './cohort.schema.js';
import { cohortView, sessionView } from './cohort.views.js';
import { ProgramSession } from './program-session.entity.js';

/** Cohorts of group courses: created with their generated sessions (each an Appointment in the EHR). */
@Injectable()
export class CohortsService {
  constructor(
    private readonly ds: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly appointments: AppointmentWriteBack,
    private readonly audit: AuditService,
  ) {}

  async create(input: CohortInput, actor: Actor) {
    return this.ds.transaction(async (m) => {
      const { program, version } = await this.catalogue.version(m, input.program, input.version);
      if (program.kind !== 'group-course') {
        throw new DomainError('PROGRAMS.WRONG_PROGRAM', `'${program.slug}' is an individual program: book its sessions per enrolment instead.`, [{ message: 'not a group course', expression: 'program' }]);
      }
      await assertNewCohort(m, { registrationId: actor.user.registrationId, programVersionId: version.id, name: input.name, startDate: input.startDate, sessionTime: input.sessionTime, timeZone: input.timeZone });
      const cohort = await m.getRepository(Cohort).save(
        m.getRepository(Cohort).create({
          registrationId: actor.user.registrationId,
          programVersionId: version.id,
          name: input.name,
          startDate: input.startDate,
          sessionTime: input.sessionTime,
          timeZone: input.timeZone,
          facilitator: input.facilitator,
          capacity: input.capacity ?? version.capacity,
          createdBy: actor.user.fhirUser,
        }),
      );
      const planned = planSessions({ ...input, sessionCount: version.sessionCount, cadenceDays: version.cadenceDays, sessionMinutes: version.sessionMinutes });
      const repo = m.getRepository(ProgramSession);
      const sessions = await repo.save(
        planned.map((p) => repo.create({ cohortId: cohort.id, enrolmentId: null, sequence: p.sequence, startsAt: p.startsAt, endsAt: p.endsAt, timeZone: input.timeZone, facilitator: input.facilitator, status: 'booked', cancelReason: null, revision: 0 })),
      );
      await this.appointments.enqueue(m, sessions, 'cohort.scheduled', actor);
      await this.audit.record({ action: 'cohort.create', outcome: 'success', ...audited(actor), resourceType: 'Cohort', resourceId: cohort.id, detail: { program: program.slug, version: version.version, sessions: sessions.length } }, m);
      return cohortView(cohort, program, version, 0, sessions);
    });
  }

  async list(programIdOrSlug: string | undefined, actor: Actor) {
    const cohorts = await this.ds.getRepository(Cohort).find({ where: { registrationId: actor.user.registrationId }, order: { startDate: 'DESC' } });
    const out = [];
    for (const c of cohorts) {
      const { program, version } = await this.catalogue.versionById(this.ds.manager, c.programVersionId);
      if (programIdOrSlug && program.id !== programIdOrSlug && program.slug !== programIdOrSlug) continue;
      out.push(cohortView(c, program, version, await seatsTaken(this.ds.manager, c.id)));
    }
    return out;
  }

  async get(id: string, actor: Actor) {
    const c = await this.find(this.ds.manager, id, actor);
    const { program, version } = await this.catalogue.versionById(this.ds.manager, c.programVersionId);
    return cohortView(c, program, version, await seatsTaken(this.ds.manager, c.id), await this.sessionsOf(c.id), seesWholeSession(actor));
  }

  async sessions(id: string, actor: Actor) {
    const c = await this.find(this.ds.manager, id, actor);
    return (await this.sessionsOf(c.id)).map((s) => sessionView(s, seesWholeSession(actor)));
  }

  private sessionsOf(cohortId: string) {
    return this.ds.getRepository(ProgramSession).find({ where: { cohortId }, order: { sequence: 'ASC' } });
  }

  /** The caller's cohort (another EHR's is not found); `lock` holds its row for the rest of the transaction. */
  async find(m: EntityManager, id: string, actor: Actor, lock = false): Promise<Cohort> {
    if (!isUuid(id)) throw notFound('cohort');
    return found(
      await m.getRepository(Cohort).findOne({ where: { id, registrationId: actor.user.registrationId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) }),
      'cohort',
    );
  }
}

/** Seats held in a cohort: its participants (patients and caregivers) who have not left. */
export async function seatsTaken(m: EntityManager, cohortId: string): Promise<number> {
  const [{ n }] = (await m.query(`SELECT count(*)::int AS n FROM enrolment_participant WHERE cohort_id = $1 AND ended_at IS NULL`, [cohortId])) as { n: number }[];
  return n;
}

/**
 * One cohort per program version, name, first date and session time: a double-clicked or retried "create" (the same
 * body twice) would otherwise make a second cohort with every session a second Appointment in the EHR. Creators of
 * a cohort of that version, name and date take turns on a transaction-scoped advisory lock (there is no row to lock
 * yet), so the second finds the first once it committed; 409 PROGRAMS.DUPLICATE names it. Another time or zone on the
 * same day is another cohort.
 */
async function assertNewCohort(m: EntityManager, c: Pick<Cohort, 'registrationId' | 'programVersionId' | 'name' | 'startDate' | 'sessionTime' | 'timeZone'>): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cohort:${c.registrationId}:${c.programVersionId}:${c.startDate}:${c.name}`]);
  const same = await m.getRepository(Cohort).findOneBy(c);
  if (same) {
    const message = `Cohort '${same.name}' of this program, starting ${same.startDate} at ${same.sessionTime} (${same.timeZone}), already exists (${same.id}); continue with it instead of creating it again.`;
    throw new DomainError('PROGRAMS.DUPLICATE', message, [{ message, expression: 'name' }]);
  }
}

/** A coordinator without a patient in context; a clinician sees one patient's household of a session (cohort.views.ts). */
function seesWholeSession(actor: Actor): boolean {
  return patientScope(actor.user) === undefined;
}
