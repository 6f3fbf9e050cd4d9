import { In, type EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error.js';
import { JOURNEY_STATES, isTerminal } from './journey.rules.js';
import { Referral } from './referral.entity.js';

/**
 * One open referral per patient and program. Open means still on its way (referred, screened, accepted) or
 * under way (enrolled, active); once declined, withdrawn or completed the patient may be referred again. A
 * second referral would put the patient twice on the coordinator's worklist and send the EHR two orders.
 */
export const OPEN_REFERRAL_STATES = JOURNEY_STATES.filter((s) => !isTerminal(s));

/** The partial unique index that enforces it in the database (referral.entity.ts, migration 1795000008000). */
export const OPEN_REFERRAL_INDEX = 'uq_referral_open';

export function findOpenReferral(m: EntityManager, q: { registrationId: string; patientId: string; programId: string }): Promise<Referral | null> {
  return m.getRepository(Referral).findOne({ where: { ...q, status: In(OPEN_REFERRAL_STATES) }, order: { createdAt: 'ASC' } });
}

/** PROGRAMS.DUPLICATE (409) naming the open referral, so the referrer can continue with it instead. */
export function alreadyReferred(open: Referral | null, programTitle: string): DomainError {
  const message = open
    ? `Already referred: this patient's referral ${open.id} to ${programTitle} is open (status ${open.status}, since ${open.createdAt.toISOString().slice(0, 10)}). Continue with it instead of referring again.`
    : `Already referred: this patient was just referred to ${programTitle} by someone else. Reload to see that referral.`;
  return new DomainError('PROGRAMS.DUPLICATE', message);
}
