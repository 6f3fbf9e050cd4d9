import { Injectable } from '@nestjs/common';
import type { Patient } from 'fhir/r4.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { formatHumanName } from '../launch/display-name.js';
import { UserFhirAccess } from '../session/user-fhir-access.service.js';

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

const TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;
/** Ids per FHIR search: keeps the URL short enough for any EHR. */
export const IDS_PER_SEARCH = 50;

/**
 * Patients' names for lists, read from the EHR with the user's own token: one `Patient?_id=a,b,c` search per
 * batch instead of a read per patient, kept for a minute per session (never stored, never shared across
 * sessions: what one user's token may read says nothing about another's).
 */
@Injectable()
export class PatientDirectory {
  private readonly cache = new Map<string, { at: number; label: PatientLabel }>();

  constructor(
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
  ) {}

  /** Labels in the order asked; an EHR refusal (403) or outage fails the whole call, as one read would. */
  async labels(user: SessionUser, ids: string[], now = Date.now()): Promise<PatientLabel[]> {
    const wanted = [...new Set(ids)];
    const found = new Map<string, PatientLabel>();
    for (const id of wanted) {
      const hit = this.cache.get(`${user.sessionId}|${id}`);
      if (hit && now - hit.at < TTL_MS) found.set(id, hit.label);
    }
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length) {
      const conn = await this.access.connection(user);
      for (let i = 0; i < missing.length; i += IDS_PER_SEARCH) {
        const chunk = missing.slice(i, i + IDS_PER_SEARCH);
        for (const label of await this.fetch(conn, chunk)) {
          found.set(label.id, label);
          this.remember(`${user.sessionId}|${label.id}`, label, now);
        }
      }
    }
    return wanted.map((id) => found.get(id)!);
  }

  /** A single patient is read (a patient-level read scope may not allow a search); several are searched at once. */
  private async fetch(conn: Awaited<ReturnType<UserFhirAccess['connection']>>, ids: string[]): Promise<PatientLabel[]> {
    const none = (id: string): PatientLabel => ({ id, name: null, birthDate: null, gender: null, mrn: null, unavailable: 'not-found' });
    if (ids.length === 1) {
      try {
        return [patientLabel({ ...(await this.fhir.read<Patient>(conn, 'Patient', ids[0])), id: ids[0] })];
      } catch (err) {
        if (err instanceof DomainError && err.code === 'COMMON.NOT_FOUND') return [none(ids[0])];
        throw err;
      }
    }
    const bundle = await this.fhir.search(conn, 'Patient', { _id: ids.join(','), _count: String(ids.length) });
    const byId = new Map<string, PatientLabel>();
    for (const e of bundle.entry ?? []) {
      const r = e.resource;
      if (r?.resourceType === 'Patient' && r.id && ids.includes(r.id)) byId.set(r.id, patientLabel(r as Patient & { id: string }));
    }
    return ids.map((id) => byId.get(id) ?? none(id));
  }

  private remember(key: string, label: PatientLabel, now: number): void {
    if (this.cache.size >= MAX_ENTRIES) {
      for (const [k, v] of this.cache) if (now - v.at >= TTL_MS || this.cache.size >= MAX_ENTRIES) this.cache.delete(k);
    }
    this.cache.set(key, { at: now, label });
  }
}
