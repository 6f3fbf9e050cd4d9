import { Injectable } from '@nestjs/common';
import type { Resource } from 'fhir/r4.js';
import { isFhirId } from '../common/fhir-id.js';
import { SandboxError } from './sandbox-errors.js';
import { FhirStore } from './fhir-store.service.js';
import { normalizeReference } from './resource-index.js';
import { MAX_COUNT } from './search.js';

/** A person the launcher and the sign-in page offer, e.g. `Practitioner/sbx-prac-1`, "Dr Quinn Example — Neurologist". */
export interface PersonOption {
  ref: string;
  label: string;
}

/** Who may sign in to the sandbox EHR: its Practitioners, Patients and RelatedPersons. */
export const USER_TYPES = ['Practitioner', 'Patient', 'RelatedPerson'] as const;

type Named = Resource & {
  name?: { text?: string; given?: string[]; family?: string; prefix?: string[] }[];
  qualification?: { code?: { text?: string } }[];
  relationship?: { text?: string }[];
};

function nameOf(r: Named): string {
  const n = r.name?.[0];
  return n?.text ?? [...(n?.prefix ?? []), ...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
}

function label(r: Named): string {
  const name = nameOf(r);
  const role = r.qualification?.[0]?.code?.text ?? r.relationship?.[0]?.text;
  return `${name || r.id}${role ? ` — ${role}` : ''}`;
}

/** Looks people up in the sandbox's own FHIR data for pages and launch validation. */
@Injectable()
export class SandboxDirectory {
  constructor(private readonly store: FhirStore) {}

  /** A person's display name for the id_token's `name` claim (OpenID Connect standard claim). */
  async displayName(ref: string): Promise<string | undefined> {
    const [type, id] = ref.split('/');
    const found = await this.store.read(type, id).catch(() => undefined);
    return found ? nameOf(found.resource as Named) || undefined : undefined;
  }

  async list(type: string): Promise<PersonOption[]> {
    const { matches } = await this.store.search({ type, filters: [], count: MAX_COUNT, offset: 0, sort: 'asc' });
    return matches
      .map((m) => ({ ref: `${type}/${m.resource.id}`, label: label(m.resource as Named) }))
      .sort((a, b) => a.ref.localeCompare(b.ref, 'en', { numeric: true }));
  }

  /**
   * Resolves `Type/id` or a bare id to an existing resource of one of `types`; a SandboxError otherwise, so a
   * launch never carries a context the EHR does not have.
   */
  async resolve(value: unknown, types: readonly string[], what: string): Promise<Resource> {
    const text = typeof value === 'string' ? value.trim() : '';
    const ref = normalizeReference(text, this.store.issuer);
    const candidates = ref ? [ref] : isFhirId(text) ? types.map((t) => `${t}/${text}`) : [];
    for (const candidate of candidates) {
      const [type, id] = candidate.split('/');
      if (!types.includes(type)) continue;
      const found = await this.store.read(type, id).catch((e: unknown) => {
        if (e instanceof SandboxError) return undefined; // not there: try the next type
        throw e;
      });
      if (found) return found.resource;
    }
    throw new SandboxError('SANDBOX.LAUNCH_INVALID', `The ${what} '${text.slice(0, 80)}' is not a ${types.join(', ')} in the sandbox.`);
  }
}
