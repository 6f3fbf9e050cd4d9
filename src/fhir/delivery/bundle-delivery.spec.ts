import type { Bundle, FhirResource } from 'fhir/r4.js';
import { businessIdentifier, referenceTo } from '../business-identifier.js';
import { UndeliverableError } from '../delivery.rules.js';
import type { FhirConnection } from '../fhir-connection.js';
import type { FhirGateway, RestWrite } from '../fhir-gateway.js';
import { transactionBundle } from '../write-back.fhir.js';
import { BundleDelivery, StoodDown } from './bundle-delivery.js';
import type { CapabilityCache } from './capability-cache.js';
import type { DeliveryProfile } from './delivery-profile.js';

const conn: FhirConnection = { baseUrl: 'https://ehr.test/fhir', authorization: 'Bearer x', registrationId: 'r1' };
const sr = businessIdentifier('service-request', 'a');
const bundle: Bundle = transactionBundle(
  [
    { resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p' } }, businessIdentifier: sr },
    { resource: { resourceType: 'Task', status: 'requested', intent: 'order', focus: referenceTo(sr) }, businessIdentifier: businessIdentifier('task', 'a'), mode: 'update' },
  ],
  { agent: { reference: 'Practitioner/c' }, recorded: '2026-12-01T10:00:00Z' },
);

/** Records every call in order; stores nothing (every search finds nothing). */
function fakes(profile: DeliveryProfile) {
  const log: string[] = [];
  let next = 1;
  const gateway = {
    searchResources: async (_c: FhirConnection, type: string) => {
      log.push(`search ${type}`);
      return [] as FhirResource[];
    },
    write: async (_c: FhirConnection, w: RestWrite) => {
      log.push(`${w.method} ${w.resource.resourceType}`);
      return { status: 201, location: `${w.resource.resourceType}/${next++}/_history/1` };
    },
    transaction: async (_c: FhirConnection, b: Bundle) => {
      log.push(`transaction ${b.entry!.length}`);
      return { resourceType: 'Bundle', type: 'transaction-response', entry: b.entry!.map((e) => ({ response: { status: '201 Created', location: `${e.resource!.resourceType}/${next++}/_history/1` } })) } as Bundle;
    },
  } as unknown as FhirGateway;
  const cache = { profileFor: async () => profile, learnMaxEntries: () => 1 } as unknown as CapabilityCache;
  return { log, delivery: new BundleDelivery(gateway, cache) };
}

const base: DeliveryProfile = { mode: 'individual', maxEntries: null, conditionalCreate: false, conditionalUpdate: false, searchByIdentifier: true, source: 'capability-statement' };

describe('BundleDelivery', () => {
  it('renews its claim before every request, searches included', async () => {
    for (const profile of [base, { ...base, mode: 'transaction' as const }]) {
      const { log, delivery } = fakes(profile);
      const run = { stillOurs: async () => (log.push('guard'), true) };
      await delivery.deliver(conn, bundle, run);
      // Every request is directly preceded by a guard.
      log.forEach((line, i) => {
        if (line !== 'guard') expect(log[i - 1]).toBe('guard');
      });
      expect(log.filter((l) => l !== 'guard').length).toBeGreaterThan(2);
    }
  });

  it('stops at once when the claim is lost, before writing anything', async () => {
    const { log, delivery } = fakes(base);
    let calls = 0;
    await expect(delivery.deliver(conn, bundle, { stillOurs: async () => ++calls < 2 })).rejects.toBeInstanceOf(StoodDown);
    expect(log.filter((l) => l.startsWith('POST') || l.startsWith('PUT'))).toEqual([]);
  });

  it('refuses, as undeliverable, an EHR with neither conditional writes nor a trusted search', async () => {
    const { delivery } = fakes({ ...base, searchByIdentifier: false });
    await expect(delivery.deliver(conn, bundle, { stillOurs: async () => true })).rejects.toBeInstanceOf(UndeliverableError);
  });

  it('sends a unit in dependency order, one request each, with references rewritten', async () => {
    const { log, delivery } = fakes(base);
    const out = await delivery.deliver(conn, bundle, { stillOurs: async () => true });
    expect(log).toEqual(['search ServiceRequest', 'POST ServiceRequest', 'search Task', 'POST Task', 'search Provenance', 'POST Provenance']);
    expect(out.map((o) => o.type)).toEqual(['ServiceRequest', 'Task', 'Provenance']);
  });
});

describe('transactionBundle', () => {
  it('refuses a reference cycle when the Bundle is built', () => {
    const a = businessIdentifier('task', 'x');
    const b = businessIdentifier('task', 'y');
    expect(() =>
      transactionBundle(
        [
          { resource: { resourceType: 'Task', status: 'requested', intent: 'order', focus: referenceTo(b) }, businessIdentifier: a },
          { resource: { resourceType: 'Task', status: 'requested', intent: 'order', focus: referenceTo(a) }, businessIdentifier: b },
        ],
        { agent: { reference: 'Practitioner/c' }, recorded: '2026-12-01T10:00:00Z' },
      ),
    ).toThrow(/cycle/);
  });
});
