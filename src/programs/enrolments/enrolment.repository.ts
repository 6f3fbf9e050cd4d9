import type { EntityManager } from 'typeorm';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import { Cohort } from '../cohorts/cohort.entity.js';
import type { Actor } from '../shared/actor.js';
import { isUuid } from '../../common/uuid.js';
import { found, notFound } from '../shared/lookup.js';
import { Enrolment } from './enrolment.entity.js';

/**
 * The caller's enrolment (another EHR's is not found, another patient's refused). With `lock`, its cohort row
 * is locked first, then the enrolment: the same order as attendance and session changes (see lockSession).
 */
export async function lockEnrolment(m: EntityManager, id: string, actor: Actor, lock = true): Promise<Enrolment> {
  if (!isUuid(id)) throw notFound('enrolment');
  const where = { id, registrationId: actor.user.registrationId };
  const e = found(await m.getRepository(Enrolment).findOneBy(where), 'enrolment');
  assertCanAccessPatient(actor.user, e.patientId);
  if (!lock) return e;
  const forUpdate = { lock: { mode: 'pessimistic_write' as const } };
  if (e.cohortId) await m.getRepository(Cohort).findOne({ where: { id: e.cohortId }, ...forUpdate });
  return m.getRepository(Enrolment).findOneOrFail({ where, ...forUpdate });
}

/** Ends every participant of an enrolment: their seats free up and they may enrol in the program again. */
export async function endParticipants(m: EntityManager, enrolmentId: string, at: Date): Promise<void> {
  await m.query(`UPDATE enrolment_participant SET ended_at = $2 WHERE enrolment_id = $1 AND ended_at IS NULL`, [enrolmentId, at]);
}
