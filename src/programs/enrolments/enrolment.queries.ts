import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertCanAccessPatient, patientScope } from '../../common/auth/patient-access.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { Referral } from '../referrals/referral.entity.js';
import type { Actor } from '../shared/actor.js';
import { versionedCanonical } from '../shared/program-codes.js';
import { CompletionCheck } from './completion-check.js';
import { EnrolmentParticipant } from './enrolment-participant.entity.js';
import { Enrolment } from './enrolment.entity.js';
import { lockEnrolment } from './enrolment.repository.js';
import type { EnrolmentListQuery } from './enrolment.schema.js';
import { WITHDRAWAL_REASONS } from './withdrawal-reasons.js';

/** Reading enrolments: one (with its participants, attendance and completion) or a list (a cohort's, a patient's). */
@Injectable()
export class EnrolmentQueries {
  constructor(
    private readonly ds: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly completion: CompletionCheck,
  ) {}

  async get(id: string, actor: Actor) {
    return this.view(await lockEnrolment(this.ds.manager, id, actor, false));
  }

  /**
   * A clinician sees only the patient in context; a coordinator any (a cohort's roster, a patient's history),
   * unless launched with a patient in context: then only that patient, as under the EHR's banner.
   */
  async list(q: EnrolmentListQuery, actor: Actor) {
    const patientId = q.patientId ?? patientScope(actor.user);
    if (patientId !== undefined) assertCanAccessPatient(actor.user, patientId);
    const qb = this.ds
      .getRepository(Enrolment)
      .createQueryBuilder('e')
      .innerJoin(Referral, 'r', 'r.id = e.referral_id')
      .where('e.registration_id = :rid', { rid: actor.user.registrationId })
      .orderBy('e.enrolled_at', 'ASC')
      .limit(500);
    if (q.cohortId) qb.andWhere('e.cohort_id = :cid', { cid: q.cohortId });
    if (patientId !== undefined) qb.andWhere('e.patient_id = :pid', { pid: patientId });
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    const out = [];
    for (const e of await qb.getMany()) out.push(await this.view(e));
    return out;
  }

  private async view(e: Enrolment) {
    const m = this.ds.manager;
    const { status } = await m.getRepository(Referral).findOneByOrFail({ id: e.referralId });
    const { program, version } = await this.catalogue.versionById(m, e.programVersionId);
    const people = await m.getRepository(EnrolmentParticipant).find({ where: { enrolmentId: e.id }, order: { createdAt: 'ASC', person: 'ASC' } });
    const counts: { person: string; status: string; n: number }[] = await m.query(
      `SELECT p.person, a.status, count(*)::int AS n FROM attendance a JOIN enrolment_participant p ON p.id = a.participant_id
       WHERE p.enrolment_id = $1 GROUP BY p.person, a.status`,
      [e.id],
    );
    const tally = (person: string) => Object.fromEntries(['attended', 'absent', 'excused'].map((s) => [s, counts.find((c) => c.person === person && c.status === s)?.n ?? 0]));
    return {
      id: e.id,
      referralId: e.referralId,
      patientId: e.patientId,
      status,
      program: { id: program.id, slug: program.slug, kind: program.kind, title: version.title, version: version.version, canonical: versionedCanonical(program.slug, version.version) },
      cohortId: e.cohortId,
      facilitator: e.facilitator,
      startDate: e.startDate,
      endDate: e.endDate,
      withdrawal: e.withdrawalReason ? { reason: e.withdrawalReason, display: WITHDRAWAL_REASONS[e.withdrawalReason], note: e.withdrawalNote, date: e.endDate } : null,
      participants: people.map((p) => ({ person: p.person, role: p.role, active: p.endedAt === null, attendance: tally(p.person) })),
      completion: await this.completion.evaluate(m, e, await this.completion.questionnairesDone(e)),
      enrolledAt: e.enrolledAt,
    };
  }
}
