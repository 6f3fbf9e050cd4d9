import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertCanAccessPatient, patientScope } from '../../common/auth/patient-access.js';
import { ProgramVersion } from '../catalogue/program-version.entity.js';
import { Program } from '../catalogue/program.entity.js';
import { Enrolment } from '../enrolments/enrolment.entity.js';
import type { Actor } from '../shared/actor.js';
import { isUuid } from '../../common/uuid.js';
import { found, notFound } from '../shared/lookup.js';
import { Referral } from './referral.entity.js';
import type { WorklistQuery } from './referral.schema.js';
import { referralView } from './referral.views.js';

const PRIORITY_ORDER = `CASE r.priority WHEN 'stat' THEN 0 WHEN 'asap' THEN 1 WHEN 'urgent' THEN 2 ELSE 3 END`;

/** Reading referrals: the coordinator's worklist (most urgent, then oldest, first) and one referral. */
@Injectable()
export class ReferralQueries {
  constructor(private readonly ds: DataSource) {}

  /**
   * A clinician sees only the patient in context (also when no patientId is given); a coordinator the whole
   * EHR, or only the patient in context when the EHR launched them with one.
   */
  async worklist(q: WorklistQuery, actor: Actor) {
    const patientId = q.patientId ?? patientScope(actor.user);
    if (patientId !== undefined) assertCanAccessPatient(actor.user, patientId);
    const qb = this.ds
      .getRepository(Referral)
      .createQueryBuilder('r')
      .innerJoinAndMapOne('r.program', Program, 'p', 'p.id = r.program_id')
      .innerJoinAndMapOne('r.programVersion', ProgramVersion, 'v', 'v.id = r.program_version_id')
      // Of the program and its version only what a worklist row shows (referralView): a version's description,
      // activities and eligibility (jsonb) were read, sent and parsed once per row, up to 500 times a request.
      .select(['r', 'p.id', 'p.slug', 'p.kind', 'v.id', 'v.version', 'v.title'])
      .where('r.registration_id = :rid', { rid: actor.user.registrationId })
      .orderBy(PRIORITY_ORDER, 'ASC')
      .addOrderBy('r.created_at', 'ASC')
      .limit(500);
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (patientId !== undefined) qb.andWhere('r.patient_id = :pid', { pid: patientId });
    if (q.program) qb.andWhere(isUuid(q.program) ? 'p.id = :prog' : 'p.slug = :prog', { prog: q.program });
    const rows = await qb.getMany();
    return rows.map((r) => referralView(r, r.program!, r.programVersion!));
  }

  async get(id: string, actor: Actor) {
    if (!isUuid(id)) throw notFound('referral');
    const r = found(await this.ds.getRepository(Referral).findOneBy({ id, registrationId: actor.user.registrationId }), 'referral');
    assertCanAccessPatient(actor.user, r.patientId);
    const version = await this.ds.getRepository(ProgramVersion).findOneByOrFail({ id: r.programVersionId });
    const program = await this.ds.getRepository(Program).findOneByOrFail({ id: r.programId });
    const enrolment = await this.ds.getRepository(Enrolment).findOneBy({ referralId: r.id });
    return referralView(r, program, version, enrolment?.id ?? null);
  }
}
