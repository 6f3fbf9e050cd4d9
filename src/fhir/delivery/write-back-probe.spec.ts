import type { OperationOutcome } from 'fhir/r4.js';
import type { FhirConnection } from '../fhir-connection.js';
import { FhirCallError, type FhirGateway } from '../fhir-gateway.js';
import type { CapabilityCache } from './capability-cache.js';
import { WriteBackProbe } from './write-back-probe.js';

const outcome = (...issues: [string, string][]): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: issues.map(([code, diagnostics]) => ({ severity: 'error', code: code as never, diagnostics })),
});

/** The probe against an EHR whose CapabilityStatement reads fine and whose Bundle/$validate answers `answer`. */
async function dryRunStep(answer: () => unknown, listsValidate = false) {
  const rest = listsValidate ? [{ mode: 'server', resource: [{ type: 'Bundle', operation: [{ name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' }] }] }] : [{ mode: 'server' }];
  const capabilities = {
    refresh: async () => ({ statement: { resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', rest }, profile: { transactions: true, conditionalCreate: {}, conditionalUpdate: {}, searchByIdentifier: {} } }),
  } as unknown as CapabilityCache;
  const gateway = { operation: async () => answer() } as unknown as FhirGateway;
  const { steps } = await new WriteBackProbe(gateway, capabilities).probe({} as FhirConnection, { dryRun: true });
  return steps.find((s) => s.step === 'dry-run');
}

describe('WriteBackProbe dry run', () => {
  it('reports an EHR without Bundle/$validate as skipped: 404, 405, 501, or 400 whose every error is not-supported', async () => {
    for (const status of [404, 405, 501]) {
      expect(await dryRunStep(() => Promise.reject(new FhirCallError(status, undefined)))).toEqual({ step: 'dry-run', result: 'skipped', detail: 'The EHR offers no Bundle/$validate.' });
    }
    // The reference EHR's answer to any operation (test/support/reference-ehr/profile-rules.ts); was "failed".
    const refused = new FhirCallError(400, outcome(['not-supported', 'Operations are not supported by this EHR.']));
    expect(await dryRunStep(() => Promise.reject(refused))).toEqual({ step: 'dry-run', result: 'skipped', detail: 'The EHR did not run Bundle/$validate: Operations are not supported by this EHR.' });
  });

  it('reports 400 not-supported as failed when the CapabilityStatement lists validate: the sample Bundle is what is not supported', async () => {
    const refused = new FhirCallError(400, outcome(['not-supported', 'Conditional create is not supported']));
    expect(await dryRunStep(() => Promise.reject(refused), true)).toMatchObject({ result: 'failed', detail: expect.stringContaining('Conditional create is not supported') });
    // A 400 with no issues at all says nothing about the operation: failed.
    expect((await dryRunStep(() => Promise.reject(new FhirCallError(400, undefined))))?.result).toBe('failed');
  });

  it("reports a refusal of the sample Bundle itself as failed, with the EHR's words", async () => {
    const mixed = new FhirCallError(400, outcome(['not-supported', 'Conditional create is not supported'], ['invalid', 'Bundle.entry[0]: bad']));
    const step = await dryRunStep(() => Promise.reject(mixed));
    expect(step?.result).toBe('failed');
    expect(step?.detail).toContain('Bundle.entry[0]: bad');
    expect((await dryRunStep(() => Promise.reject(new FhirCallError(400, outcome(['invalid', 'bad'])))))?.result).toBe('failed');
    expect((await dryRunStep(() => Promise.resolve(outcome(['structure', 'entry 0 is wrong']))))?.result).toBe('failed');
    expect((await dryRunStep(() => Promise.resolve({ resourceType: 'OperationOutcome', issue: [] })))?.result).toBe('ok');
  });
});
