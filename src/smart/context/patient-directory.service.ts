import { Injectable } from '@nestjs/common';
import type { Patient } from 'fhir/r4.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { formatHumanName } from '../launch/display-name.js';
import { UserFhirAccess } from '../session/user-fhir-access.service.js';
import { labelsById, SessionLabelCache } from './labels-by-id.js';

/** What staff see to be sure who a card is about: name, birth date, sex, MRN (or why the EHR gave no name). */
export interface PatientLabel {
  id: string;
  name: string | null;
  birthDate: string | null;
  gender: string | null;
  mrn: string | null;
  /** Set when there is no name: the EHR has no such patient, or has one without a name. */
  unavailable?: 'not-found' | 'no-name';
}

export function patientLabel(p: Patient & { id: string }): PatientLabel {
  const mrn = p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR')) ?? p.identifier?.[0];
  const name = formatHumanName(p.name) ?? null;
  return { id: p.id, name, birthDate: p.birthDate ?? null, gender: p.gender ?? null, mrn: mrn?.value ?? null, ...(name ? {} : { unavailable: 'no-name' as const }) };
}

const none = (id: string): PatientLabel => ({ id, name: null, birthDate: null, gender: null, mrn: null, unavailable: 'not-found' });

/**
 * Patients' names for lists, read from the EHR with the user's own token: one `Patient?_id=a,b,c` search per
 * batch instead of a read per patient, kept for a minute per session (never stored, never shared across
 * sessions: what one user's token may read says nothing about another's).
 */
@Injectable()
export class PatientDirectory {
  private readonly cache = new SessionLabelCache<PatientLabel>();

  constructor(
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
  ) {}

  /** Labels in the order asked; an EHR refusal (403) or outage fails the whole call, as one read would. */
  async labels(user: SessionUser, ids: string[], now = Date.now()): Promise<PatientLabel[]> {
    return this.cache.labels(user.sessionId, ids, now, async (missing) =>
      labelsById<Patient, PatientLabel>(this.fhir, await this.access.connection(user), 'Patient', missing, patientLabel, none),
    );
  }
}
