import type { EntityManager } from 'typeorm';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import type { Actor } from '../shared/actor.js';
import { isUuid } from '../../common/uuid.js';
import { found, notFound } from '../shared/lookup.js';
import { Referral } from './referral.entity.js';

/**
 * The caller's referral, locked for the rest of the transaction (state changes are serialised per referral):
 * another EHR's referral is not found, another patient's is refused.
 */
export async function lockReferral(m: EntityManager, id: string, actor: Actor): Promise<Referral> {
  if (!isUuid(id)) throw notFound('referral');
  const r = found(
    await m.getRepository(Referral).findOne({ where: { id, registrationId: actor.user.registrationId }, lock: { mode: 'pessimistic_write' } }),
    'referral',
  );
  assertCanAccessPatient(actor.user, r.patientId);
  return r;
}
