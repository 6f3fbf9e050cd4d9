import { Injectable } from '@nestjs/common';
import type { Practitioner, RelatedPerson } from 'fhir/r4.js';
import { canAccessPatient } from '../../common/auth/patient-access.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { formatHumanName } from '../launch/display-name.js';
import { UserFhirAccess } from '../session/user-fhir-access.service.js';
import { labelsById, SessionLabelCache } from './labels-by-id.js';
import { parseReference } from '../../fhir/references.js';

export const PERSON_TYPES = ['Practitioner', 'RelatedPerson'] as const;

/** A person staff see in a list (referrer, facilitator, caregiver): their name and what they are, never their id. */
export interface PersonLabel {
  reference: string;
  name: string | null;
  /** A practitioner's qualification ("Music therapist"), a caregiver's relationship ("Spouse"). */
  detail: string | null;
  /** Set when there is no name: the EHR has no such record, has one without a name, or does not let the user see it. */
  unavailable?: 'not-found' | 'no-name' | 'forbidden';
}

type Label = PersonLabel & { patientId?: string };

/** A label as the directory gives it to its route: `patientId` is the patient a caregiver shown belongs to, for the audit only. */
export interface PersonRead {
  label: PersonLabel;
  /** Set when the label shows a caregiver's name or relationship: patient-level data of this patient (bare id). */
  patientId: string | null;
}

function named(reference: string, name: string | undefined, detail: string | undefined): Label {
  return { reference, name: name ?? null, detail: detail ?? null, ...(name ? {} : { unavailable: 'no-name' as const }) };
}

const practitioner = (p: Practitioner & { id: string }): Label => {
  const q = p.qualification?.[0]?.code;
  return named(`Practitioner/${p.id}`, formatHumanName(p.name), q?.text ?? q?.coding?.[0]?.display);
};

const relatedPerson = (r: RelatedPerson & { id: string }): Label => {
  const rel = r.relationship?.[0];
  const patient = parseReference(r.patient?.reference);
  const patientId = patient?.type === 'Patient' ? patient.id : undefined;
  return { ...named(`RelatedPerson/${r.id}`, formatHumanName(r.name), rel?.text ?? rel?.coding?.[0]?.display), ...(patientId ? { patientId } : {}) };
};

const unavailable = (reference: string, why: 'not-found' | 'forbidden'): Label => ({ reference, name: null, detail: null, unavailable: why });

/**
 * Names of practitioners and caregivers for lists, read from the EHR with the user's own token: one `_id`
 * search per type and batch, kept for a minute per session like patients' names. A type the EHR will not show
 * the user (403) comes back as `unavailable: 'forbidden'` without failing the other names; a caregiver of a
 * patient outside the user's context (or of none) is treated the same way, whatever the EHR allowed. Each caregiver
 * shown comes with the patient they belong to, so that their route audits the read under that patient.
 */
@Injectable()
export class PeopleDirectory {
  private readonly cache = new SessionLabelCache<Label>();

  constructor(
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
  ) {}

  /** The labels in the order asked, each with the patient whose caregiver it shows (for the audit; never for the client). */
  async labels(user: SessionUser, references: string[], now = Date.now()): Promise<PersonRead[]> {
    const labels = await this.cache.labels(user.sessionId, references, now, async (missing) => {
      const conn = await this.access.connection(user);
      const out = new Map<string, Label>();
      for (const type of PERSON_TYPES) {
        const ids = missing.filter((r) => r.startsWith(`${type}/`)).map((r) => r.slice(type.length + 1));
        if (!ids.length) continue;
        const none = (id: string) => unavailable(`${type}/${id}`, 'not-found');
        try {
          const found = type === 'Practitioner'
            ? await labelsById<Practitioner, Label>(this.fhir, conn, type, ids, practitioner, none)
            : await labelsById<RelatedPerson, Label>(this.fhir, conn, type, ids, relatedPerson, none);
          for (const label of found.values()) out.set(label.reference, label);
        } catch (err) {
          if (!(err instanceof DomainError && err.code === 'FHIR.FORBIDDEN')) throw err;
          for (const id of ids) out.set(`${type}/${id}`, unavailable(`${type}/${id}`, 'forbidden'));
        }
      }
      return out;
    });
    return labels.map(({ patientId, ...label }): PersonRead => {
      // A caregiver's name or relationship is patient-level data: shown only for a patient the user may see.
      const shows = label.reference.startsWith('RelatedPerson/') && (label.name !== null || label.detail !== null);
      if (!shows) return { label, patientId: null };
      return patientId && canAccessPatient(user, patientId) ? { label, patientId } : { label: unavailable(label.reference, 'forbidden'), patientId: null };
    });
  }
}
