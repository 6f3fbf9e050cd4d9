import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, CodeableConcept, FhirResource, Provenance, Reference } from 'fhir/r4.js';
import { stringify as canonicalJson } from 'safe-stable-stringify';
import { businessIdentifier, fullUrlOf, stampIdentifier, type BusinessIdentifier } from './business-identifier.js';
import { dependencyOrder, urnReferences } from './delivery/delivery-plan.js';

export interface WriteBackEntry {
  resource: FhirResource;
  businessIdentifier: BusinessIdentifier;
  /** `create` (default): conditional create. `update`: conditional update of the resource carrying the identifier. */
  mode?: 'create' | 'update';
}

export interface ProvenanceInput {
  /** The fhirUser who acted (`{reference: 'Practitioner/123'}`), or APP_DEVICE for the app's own writes. */
  agent: Reference;
  onBehalfOf?: Reference;
  /** Defaults to v3-DataOperation CREATE or UPDATE when every entry is one or the other. */
  activity?: CodeableConcept;
  recorded: Date | string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

/**
 * Finishes a feature's write as one FHIR R4 transaction Bundle: every entry a conditional create (or update)
 * on its business identifier, with a `urn:uuid` fullUrl derived from that identifier (see `referenceTo`),
 * plus a Provenance that targets them all. Resending the Bundle changes nothing on the EHR.
 * Throws on a programming error: a duplicate identifier, a `urn:uuid` reference to no entry, or a reference cycle.
 */
export function transactionBundle(entries: WriteBackEntry[], provenance: ProvenanceInput): Bundle {
  if (!entries.length) throw new Error('A write-back Bundle needs at least one entry');
  const built = entries.map(toEntry);
  const fullUrls = new Set(built.map((e) => e.fullUrl));
  if (fullUrls.size !== built.length) throw new Error('Two entries share a business identifier');
  const prov = provenanceEntry(entries, built, provenance);
  const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [...built, prov] };
  for (const ref of urnReferences(bundle.entry!.map((e) => e.resource))) {
    if (!fullUrls.has(ref)) throw new Error(`Reference ${ref} points at no entry of this Bundle`);
  }
  // An EHR without (large enough) transactions gets the entries in dependency order: a cycle has none.
  dependencyOrder(bundle.entry!);
  return bundle;
}

function toEntry(e: WriteBackEntry): BundleEntry {
  const resource = structuredClone(e.resource);
  delete resource.id; // the EHR assigns ids; the business identifier is how we find the resource again
  const search = stampIdentifier(resource, e.businessIdentifier);
  const request: BundleEntry['request'] =
    e.mode === 'update'
      ? { method: 'PUT', url: `${resource.resourceType}?${search}` }
      : { method: 'POST', url: resource.resourceType, ifNoneExist: search };
  return { fullUrl: fullUrlOf(e.businessIdentifier), resource, request };
}

function provenanceEntry(entries: WriteBackEntry[], built: BundleEntry[], p: ProvenanceInput): BundleEntry {
  const recorded = typeof p.recorded === 'string' ? p.recorded : p.recorded.toISOString();
  if (!INSTANT.test(recorded)) throw new Error('Provenance.recorded must be an instant with seconds and a time zone');
  const resource: Provenance = {
    resourceType: 'Provenance',
    target: built.map((e) => ({ reference: e.fullUrl!, type: e.resource!.resourceType })),
    recorded,
    ...(defaultActivity(entries, p.activity) ?? {}),
    agent: [
      {
        type: { coding: [{ system: PARTICIPANT_TYPE, code: 'author', display: 'Author' }] },
        who: p.agent,
        ...(p.onBehalfOf ? { onBehalfOf: p.onBehalfOf } : {}),
      },
    ],
  };
  // The identifier names this write: every entry as sent (request and content) and the Provenance itself (targets,
  // instant, activity, agent and on whose behalf). Two writes of the same resources in the same millisecond — two
  // successive updates, two people — thus get a Provenance each; the same write rebuilt gets the same one, so a resend
  // creates none. Sorted keys: a resource read back from jsonb (keys reordered) names the same write.
  const write = canonicalJson({ entries: built, provenance: resource }) as string; // an object always serializes
  const digest = createHash('sha256').update(write).digest('hex').slice(0, 32);
  return toEntry({ resource, businessIdentifier: businessIdentifier('provenance', digest) });
}

function defaultActivity(entries: WriteBackEntry[], given?: CodeableConcept): { activity: CodeableConcept } | undefined {
  if (given) return { activity: given };
  const modes = new Set(entries.map((e) => e.mode ?? 'create'));
  if (modes.size !== 1) return undefined;
  const code = modes.has('update') ? 'UPDATE' : 'CREATE';
  return { activity: { coding: [{ system: DATA_OPERATION, code, display: code === 'UPDATE' ? 'revise' : 'create' }] } };
}
