import type { Bundle, Provenance, ServiceRequest, Task } from 'fhir/r4.js';
import { r4SchemaErrors } from '../../test/support/fhir-r4-schema.js';
import { APP_DEVICE, businessIdentifier, fullUrlOf, IDENTIFIER_BASE, referenceTo } from './business-identifier.js';
import { transactionBundle } from './write-back.fhir.js';

const srId = businessIdentifier('service-request', 'ref-0001');
const taskId = businessIdentifier('task', 'ref-0001');
const recorded = new Date('2026-03-02T10:15:00.000Z');

function referral(): Bundle {
  const sr: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: 'will-be-dropped',
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
    subject: { reference: 'Patient/synthetic-p1' },
  };
  const task: Task = {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: referenceTo(srId),
    for: { reference: 'Patient/synthetic-p1' },
  };
  return transactionBundle(
    [
      { resource: sr, businessIdentifier: srId },
      { resource: task, businessIdentifier: taskId },
    ],
    { agent: { reference: 'Practitioner/synthetic-c1' }, recorded },
  );
}

const provenanceOf = (b: Bundle) => b.entry!.find((e) => e.resource!.resourceType === 'Provenance')!;
const tagOf = (b: Bundle) => (provenanceOf(b).resource as Provenance).meta!.tag![0].code;

describe('the write-back Bundle builder', () => {
  it('makes every entry a conditional create on its business identifier', () => {
    const b = referral();
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    const [sr, task] = b.entry!;
    expect(sr.request).toEqual({
      method: 'POST',
      url: 'ServiceRequest',
      ifNoneExist: `identifier=${IDENTIFIER_BASE}/service-request|ref-0001`,
    });
    expect((sr.resource as ServiceRequest).identifier).toEqual([srId]);
    expect(sr.resource!.id).toBeUndefined();
    expect(task.request!.ifNoneExist).toBe(`identifier=${IDENTIFIER_BASE}/task|ref-0001`);
  });

  it('gives entries urn:uuid fullUrls that references between them resolve to', () => {
    const b = referral();
    const urls = b.entry!.map((e) => e.fullUrl!);
    for (const u of urls) expect(u).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(urls).size).toBe(urls.length);
    expect((b.entry![1].resource as Task).focus!.reference).toBe(b.entry![0].fullUrl);
    expect(fullUrlOf(srId)).toBe(b.entry![0].fullUrl);
  });

  it('adds one Provenance that targets every entry and is itself created only once', () => {
    const b = referral();
    const p = provenanceOf(b);
    const prov = p.resource as Provenance;
    expect(prov.target.map((t) => t.reference)).toEqual(b.entry!.slice(0, 2).map((e) => e.fullUrl));
    expect(prov.recorded).toBe('2026-03-02T10:15:00.000Z');
    expect(prov.agent[0].who).toEqual({ reference: 'Practitioner/synthetic-c1' });
    expect(prov.activity!.coding![0].code).toBe('CREATE');
    // R4 Provenance has no identifier element: its business identifier is a meta.tag, found again by _tag.
    const tag = prov.meta!.tag![0];
    expect(tag.system).toBe(`${IDENTIFIER_BASE}/provenance`);
    expect(p.request).toEqual({ method: 'POST', url: 'Provenance', ifNoneExist: `_tag=${tag.system}|${tag.code}` });
    expect(referral()).toEqual(b); // deterministic: a rebuilt Bundle is identical
  });

  it('gives each distinct write of the same resources at the same instant a Provenance of its own', () => {
    // Two successive updates of one Task, two people's writes: same targets, same millisecond.
    const write = (status: Task['status'], agent: string, onBehalfOf?: string) =>
      tagOf(
        transactionBundle([{ resource: { resourceType: 'Task', status, intent: 'order' }, businessIdentifier: taskId, mode: 'update' }], {
          agent: { reference: agent },
          ...(onBehalfOf ? { onBehalfOf: { reference: onBehalfOf } } : {}),
          recorded,
        }),
      );
    const tags = [
      write('accepted', 'Practitioner/synthetic-c1'),
      write('completed', 'Practitioner/synthetic-c1'), // another content
      write('accepted', 'Practitioner/synthetic-c2'), // another person
      write('accepted', 'Practitioner/synthetic-c1', 'Patient/synthetic-p1'), // on someone's behalf
    ];
    expect(new Set(tags).size).toBe(tags.length);
    expect(write('accepted', 'Practitioner/synthetic-c1')).toBe(tags[0]); // the same write again: the same Provenance
    // Rebuilt from a resource read back from jsonb (its keys in another order): still the same write.
    const reordered = transactionBundle([{ resource: { intent: 'order', status: 'accepted', resourceType: 'Task' } as Task, businessIdentifier: taskId, mode: 'update' }], {
      agent: { reference: 'Practitioner/synthetic-c1' },
      recorded,
    });
    expect(tagOf(reordered)).toBe(tags[0]);
    // Pinned: the digest of this write, as queued today. A change of the serialization (a new version of
    // safe-stable-stringify, a field added to the hashed content) gives the same write another Provenance than a
    // release before it gave (`$extract` answers a queued version's Bundle as queued, but one no longer queued is
    // built again): change it knowingly.
    expect(tags[0]).toBe('f58d6d9e86994b772a153a599e92e69d');
  });

  it('validates against the FHIR R4 JSON schema', () => {
    const b = referral();
    expect(r4SchemaErrors(b)).toEqual([]);
    for (const e of b.entry!) expect(r4SchemaErrors(e.resource)).toEqual([]);
    // The schema is not a rubber stamp: an identifier on a Provenance or a date-only `recorded` fail it.
    const prov = provenanceOf(b).resource as Provenance;
    expect(r4SchemaErrors({ ...prov, identifier: [srId] }).length).toBeGreaterThan(0);
    expect(r4SchemaErrors({ ...prov, recorded: '2026-03-02' }).length).toBeGreaterThan(0);
  });

  it('writes a status change as a conditional update, by the app itself on behalf of a person', () => {
    const task: Task = { resourceType: 'Task', status: 'accepted', intent: 'order', for: { reference: 'Patient/synthetic-p1' } };
    const b = transactionBundle([{ resource: task, businessIdentifier: taskId, mode: 'update' }], {
      agent: APP_DEVICE,
      onBehalfOf: { reference: 'Practitioner/synthetic-c1' },
      recorded: '2026-03-02T11:00:00+01:00',
    });
    expect(b.entry![0].request).toEqual({ method: 'PUT', url: `Task?identifier=${IDENTIFIER_BASE}/task|ref-0001` });
    const prov = provenanceOf(b).resource as Provenance;
    expect(prov.activity!.coding![0].code).toBe('UPDATE');
    expect(prov.agent[0]).toMatchObject({ who: APP_DEVICE, onBehalfOf: { reference: 'Practitioner/synthetic-c1' } });
    expect(r4SchemaErrors(b)).toEqual([]);
  });

  it('puts a single identifier on a QuestionnaireResponse', () => {
    const id = businessIdentifier('questionnaire-response', 'qr-1');
    const b = transactionBundle(
      [{ resource: { resourceType: 'QuestionnaireResponse', status: 'completed' }, businessIdentifier: id }],
      { agent: { reference: 'Patient/synthetic-p1' }, recorded },
    );
    expect((b.entry![0].resource as unknown as { identifier: unknown }).identifier).toEqual(id);
    expect(r4SchemaErrors(b)).toEqual([]);
  });

  it('refuses programming errors: dangling urn:uuid, duplicates, bad instants, unsafe identifiers', () => {
    const dangling: Task = { resourceType: 'Task', status: 'requested', intent: 'order', focus: referenceTo(srId) };
    const agent = { reference: 'Practitioner/synthetic-c1' };
    expect(() => transactionBundle([{ resource: dangling, businessIdentifier: taskId }], { agent, recorded })).toThrow(/points at no entry/);
    const t: Task = { resourceType: 'Task', status: 'requested', intent: 'order' };
    const twice = [{ resource: t, businessIdentifier: taskId }, { resource: t, businessIdentifier: taskId }];
    expect(() => transactionBundle(twice, { agent, recorded })).toThrow(/share/);
    expect(() => transactionBundle([{ resource: t, businessIdentifier: taskId }], { agent, recorded: '2026-03-02' })).toThrow(/instant/);
    expect(() => businessIdentifier('task', 'a|b')).toThrow();
    expect(() => businessIdentifier('Task', 'x')).toThrow();
    expect(() => transactionBundle([], { agent, recorded })).toThrow();
  });
});
