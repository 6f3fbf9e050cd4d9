import type { BundleEntry, CapabilityStatement } from 'fhir/r4.js';
import { carriesIdentifier, chunks, conditionalUrl, dependencyOrder, parseLocation, rewriteReferences } from './delivery-plan.js';
import { idempotent, isTooLarge, profileFromCapabilities, WRITTEN_TYPES } from './delivery-profile.js';

const entry = (n: string, refs: string[] = []): BundleEntry => ({
  fullUrl: `urn:uuid:${n}`,
  resource: { resourceType: 'Basic', code: { text: n }, extension: refs.map((r) => ({ url: 'x', valueReference: { reference: `urn:uuid:${r}` } })) } as never,
  request: { method: 'POST', url: 'Basic' },
});
const names = (es: BundleEntry[]) => es.map((e) => e.fullUrl!.slice(9));

describe('delivery plan', () => {
  it('puts every entry after the entries it references, otherwise keeps Bundle order', () => {
    // Provenance-like last entry references all; a Task references the CarePlan that comes after it.
    const es = [entry('task', ['careplan']), entry('sr'), entry('careplan', ['sr']), entry('prov', ['task', 'sr', 'careplan'])];
    expect(names(dependencyOrder(es))).toEqual(['sr', 'careplan', 'task', 'prov']);
    expect(names(dependencyOrder([entry('a'), entry('b'), entry('c')]))).toEqual(['a', 'b', 'c']);
  });

  it('refuses a reference cycle (no piece order exists) and ignores references outside the Bundle and to itself', () => {
    expect(() => dependencyOrder([entry('a', ['b']), entry('b', ['a'])])).toThrow(/cycle/);
    expect(names(dependencyOrder([entry('a', ['zzz', 'a']), entry('b')]))).toEqual(['a', 'b']);
  });

  it('cuts into pieces of at most max, in order', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([1, 2, 3], null)).toEqual([[1, 2, 3]]);
    expect(chunks([1, 2, 3], 8)).toEqual([[1, 2, 3]]);
  });

  it('rewrites resolved urn:uuid references to Type/id, leaves the rest, and does not touch the input', () => {
    const r = entry('prov', ['a', 'b']).resource!;
    const out = rewriteReferences(r as never, new Map([['urn:uuid:a', { type: 'Task', id: '7', status: '201' }]]));
    expect(JSON.stringify(out)).toContain('"reference":"Task/7"');
    expect(JSON.stringify(out)).toContain('"reference":"urn:uuid:b"');
    expect(JSON.stringify(r)).toContain('urn:uuid:a');
  });

  it('reads locations and conditional URLs', () => {
    expect(parseLocation('ServiceRequest/12/_history/1')).toEqual({ type: 'ServiceRequest', id: '12', version: '1' });
    expect(parseLocation('https://ehr.example/fhir/Task/abc-9/_history/3')).toEqual({ type: 'Task', id: 'abc-9', version: '3' });
    expect(parseLocation('Provenance/p1')).toEqual({ type: 'Provenance', id: 'p1' });
    expect(parseLocation(undefined)).toBeUndefined();
    expect(conditionalUrl('Task?identifier=https://x/y|1')).toEqual({ type: 'Task', query: 'identifier=https://x/y|1' });
    expect(conditionalUrl('Task/1')).toBeUndefined();
  });
});

describe('delivery profile', () => {
  const statement = (interactions: string[], conditional: boolean): CapabilityStatement => ({
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{ mode: 'server', interaction: interactions.map((code) => ({ code: code as never })), resource: WRITTEN_TYPES.map((type) => ({ type, conditionalCreate: conditional, conditionalUpdate: conditional })) }],
  });

  it('learns transactions and conditional writes from the CapabilityStatement', () => {
    expect(profileFromCapabilities(statement(['transaction', 'batch'], true))).toMatchObject({ mode: 'transaction', conditionalCreate: true, conditionalUpdate: true, source: 'capability-statement' });
    expect(profileFromCapabilities(statement([], true))).toMatchObject({ mode: 'individual' });
    expect(profileFromCapabilities(statement(['transaction'], false))).toMatchObject({ conditionalCreate: false, conditionalUpdate: false });
  });

  it('needs conditional create on every type we write, and lets the registration override', () => {
    const cs = statement(['transaction'], true);
    cs.rest![0].resource = cs.rest![0].resource!.filter((r) => r.type !== 'Provenance');
    expect(profileFromCapabilities(cs)?.conditionalCreate).toBe(false);
    expect(profileFromCapabilities(statement(['transaction'], true), { mode: 'individual', maxEntries: 5, conditionalWrites: false })).toMatchObject({ mode: 'individual', maxEntries: 5, conditionalCreate: false });
  });

  it('does not guess without a CapabilityStatement, unless the registration vouches for mode and conditional writes', () => {
    expect(profileFromCapabilities(undefined)).toBeUndefined();
    expect(profileFromCapabilities(undefined, { mode: 'transaction' })).toBeUndefined();
    expect(profileFromCapabilities(undefined, { mode: 'transaction', conditionalWrites: true, maxEntries: 8 })).toMatchObject({ mode: 'transaction', maxEntries: 8, conditionalCreate: true, source: 'registration' });
  });

  it('trusts search-first only where every type we write is searchable by identifier (Provenance by _tag)', () => {
    const cs = statement(['transaction'], false);
    expect(profileFromCapabilities(cs)?.searchByIdentifier).toBe(false);
    expect(idempotent(profileFromCapabilities(cs)!)).toBe(false);
    cs.rest![0].resource = cs.rest![0].resource!.map((r) => ({ ...r, searchParam: [{ name: r.type === 'Provenance' ? '_tag' : 'identifier', type: 'token' }] }));
    expect(profileFromCapabilities(cs)?.searchByIdentifier).toBe(true);
    expect(idempotent(profileFromCapabilities(cs)!)).toBe(true);
    const serverWide = statement(['transaction'], false);
    serverWide.rest![0].searchParam = [{ name: 'identifier', type: 'token' }, { name: '_tag', type: 'token' }];
    expect(profileFromCapabilities(serverWide)?.searchByIdentifier).toBe(true);
  });

  it('trusts a search hit only when it carries the identifier or tag asked for', () => {
    const sr = { resourceType: 'ServiceRequest', identifier: [{ system: 'https://x/sr', value: '1' }] } as never;
    expect(carriesIdentifier(sr, { identifier: 'https://x/sr|1' })).toBe(true);
    expect(carriesIdentifier(sr, { identifier: 'https://x/sr|2' })).toBe(false);
    expect(carriesIdentifier(sr, { _tag: 'https://x/sr|1' })).toBe(false);
    const prov = { resourceType: 'Provenance', meta: { tag: [{ system: 'https://x/p', code: 'a' }] } } as never;
    expect(carriesIdentifier(prov, { _tag: 'https://x/p|a' })).toBe(true);
    expect(carriesIdentifier(prov, {})).toBe(false);
  });

  it('recognises a refusal for size', () => {
    const oo = (text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text } }] });
    expect(isTooLarge(400, oo('Transaction requires strict isolation but has too many entries'))).toBe(true);
    expect(isTooLarge(413, undefined)).toBe(true);
    expect(isTooLarge(400, oo('Invalid reference'))).toBe(false);
    expect(isTooLarge(500, oo('too many entries'))).toBe(false);
  });
});
