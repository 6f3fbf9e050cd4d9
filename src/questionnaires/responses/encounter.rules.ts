import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { FHIR_ID_SOURCE } from '../../fhir/ids.js';

// Which visit a response records (QuestionnaireResponse.encounter), decided by the server from the SMART launch's
// context, never taken on the client's word. Pure: no framework, no database.

const AT_ENCOUNTER = 'QuestionnaireResponse.encounter';
const RELATIVE = new RegExp(`^Encounter/(${FHIR_ID_SOURCE})$`);
const ABSOLUTE = new RegExp(`^(https?://\\S+)/Encounter/(${FHIR_ID_SOURCE})$`);

/** What a client sent as `encounter`: absent, or the reference it names (`Encounter/<id>`, or absolute as sent). */
export type SentEncounter = { reference: string } | undefined;

function malformed(): DomainError {
  const message = 'encounter must be a reference to Encounter/<id>';
  return new DomainError('QUESTIONNAIRES.INVALID_RESPONSE', message, [{ message, expression: AT_ENCOUNTER, code: 'structure' }]);
}

function notInContext(message: string): DomainError {
  return new DomainError('QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT', message, [{ message, expression: AT_ENCOUNTER, code: 'forbidden' }]);
}

function cannotChange(): DomainError {
  const message = 'The encounter of a response cannot change';
  return new DomainError('QUESTIONNAIRES.INVALID_RESPONSE', message, [{ message, expression: AT_ENCOUNTER, code: 'business-rule' }]);
}

/**
 * The body's `encounter`, shape only: absent, or a Reference whose `reference` is a string. Anything else (a
 * string, an identifier-only or empty Reference, a reference to another type) is a 400 here or in encounterFor.
 */
export function readSentEncounter(value: unknown): SentEncounter {
  if (value === undefined) return undefined;
  const reference = value && typeof value === 'object' && !Array.isArray(value) ? (value as { reference?: unknown }).reference : undefined;
  if (typeof reference !== 'string' || reference.length > 500) throw malformed();
  return { reference };
}

/** The session facts the rule needs: the launch's encounter, whose patient it came with, and the FHIR base. */
export type EncounterSession = Pick<SessionUser, 'encounterId' | 'patientId' | 'issuer'>;

export interface EncounterQuestion {
  session: EncounterSession;
  /** The patient the response's answers concern (a caregiver's own form: their patient). */
  patientId: string;
  /** What the body sent. */
  sent: SentEncounter;
  /** The stored response being saved again (its status and FHIR resource), or null for a new one. */
  existing: { status: string; resource: { encounter?: { reference?: string } } } | null;
}

/**
 * The response's encounter (`Encounter/<id>`) or null.
 * - The launch's encounter is the visit when the session's launch came with one AND with this same patient
 *   (an EHR launch with patient and encounter in context); any other session has none.
 * - New response: that encounter (or none). A client may name it; naming another is 403
 *   QUESTIONNAIRES.ENCOUNTER_NOT_IN_CONTEXT — also in a session without one, where nothing could verify it.
 * - Saved again: a response keeps the encounter it has (the player resends it on resume, in whatever session:
 *   it was verified when first set); naming another is 400. A draft (or its submission) without one gets the
 *   session's, as a new response would: it was finished during that visit. A submitted response never gains one
 *   later: an amendment is not part of a later visit (naming one then is 400).
 * Malformed references are 400. An absolute reference on the session's own FHIR base counts as the relative one.
 */
export function encounterFor(q: EncounterQuestion): string | null {
  const sent = q.sent ? normalise(q.sent.reference, q.session.issuer) : undefined;
  const inContext = q.session.encounterId && q.session.patientId === q.patientId ? `Encounter/${q.session.encounterId}` : null;
  const kept = q.existing?.resource.encounter?.reference ?? null;
  if (kept) {
    if (sent !== undefined && sent !== kept) throw cannotChange();
    return kept;
  }
  if (q.existing && q.existing.status !== 'in-progress') {
    if (sent !== undefined) throw cannotChange();
    return null;
  }
  if (sent !== undefined && sent !== inContext) {
    throw notInContext(inContext ? 'This encounter is not the one in your launch context.' : 'Your launch has no encounter in context for this patient: an encounter cannot be recorded.');
  }
  return inContext;
}

/** `Encounter/<id>`; an absolute URL elsewhere stays as sent (never equal to the context: refused as another encounter). */
function normalise(reference: string, issuer: string): string {
  if (RELATIVE.test(reference)) return reference;
  const m = ABSOLUTE.exec(reference);
  if (!m) throw malformed();
  return m[1].replace(/\/+$/, '') === issuer.replace(/\/+$/, '') ? `Encounter/${m[2]}` : reference;
}
