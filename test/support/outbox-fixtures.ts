import type { Bundle } from 'fhir/r4.js';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { businessIdentifier, IDENTIFIER_BASE, referenceTo } from '../../src/fhir/business-identifier.js';
import { EhrSystemAuthorizer, type FhirConnection } from '../../src/fhir/fhir-connection.js';
import { OutboxService, type EnqueueItem } from '../../src/fhir/outbox.service.js';
import { OutboxWorker } from '../../src/fhir/outbox.worker.js';
import { transactionBundle } from '../../src/fhir/write-back.fhir.js';
import type { TestApp } from './test-app.js';
import { sleep } from './wait.js';

/** Stands in for the smart module's backend-services tokens: every registration talks to `baseUrl`. */
export class FakeAuthorizer extends EhrSystemAuthorizer {
  baseUrl = '';
  token = 'test-token';
  invalidated = 0;
  /** Per-registration base URL (e.g. a closed port). */
  readonly bases = new Map<string, string>();
  /** The registration's delivery overrides; by default it vouches for transactions with conditional writes. */
  delivery: FhirConnection['delivery'] = { mode: 'transaction', conditionalWrites: true };

  async systemConnection(registrationId: string): Promise<FhirConnection> {
    // The fake EHR (fake-ehr.ts) serves no CapabilityStatement: by default the registration vouches for the mode.
    return { baseUrl: this.bases.get(registrationId) ?? this.baseUrl, authorization: `Bearer ${this.token}`, registrationId, delivery: this.delivery };
  }

  invalidate(): void {
    this.invalidated++;
    this.token = 'test-token';
  }
}

/** A synthetic referral (ServiceRequest + Task) as the referral feature would write it back. */
export function referralBundle(patient: string, ref: string): Bundle {
  const sr = businessIdentifier('service-request', ref);
  return transactionBundle(
    [
      { resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: patient } }, businessIdentifier: sr },
      {
        resource: { resourceType: 'Task', status: 'requested', intent: 'order', focus: referenceTo(sr), for: { reference: patient } },
        businessIdentifier: businessIdentifier('task', ref),
      },
    ],
    { agent: { reference: 'Practitioner/synthetic-c1' }, recorded: new Date() },
  );
}

/**
 * A synthetic write that creates a ServiceRequest (`ref`) and updates the patient's one Task (a conditional
 * `PUT Task?identifier=…`, the same for every write of `patient`) to `status`: whichever write the EHR applies last
 * decides the Task's status, so a test can tell whether an older write landed after a newer one. Its fake-server
 * key is `keyOf(ref)`.
 */
export function taskUpdateBundle(patient: string, ref: string, status: 'requested' | 'accepted' | 'completed'): Bundle {
  const sr = businessIdentifier('service-request', ref);
  return transactionBundle(
    [
      { resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: patient } }, businessIdentifier: sr },
      {
        resource: { resourceType: 'Task', status, intent: 'order', focus: referenceTo(sr), for: { reference: patient } },
        businessIdentifier: businessIdentifier('task', `${patient.replace('/', '-')}-task`),
        mode: 'update',
      },
    ],
    { agent: { reference: 'Practitioner/synthetic-c1' }, recorded: new Date() },
  );
}

/** The fake server's key for a referral: its ServiceRequest identifier. */
export const keyOf = (ref: string) => `${IDENTIFIER_BASE}/service-request|${ref}`;

export { sleep, until } from './wait.js';

/** Helpers bound to one test app. */
export function outboxHelpers(t: TestApp, registrationId: () => string) {
  const ds = t.app.get(DataSource);
  const outbox = t.app.get(OutboxService);
  const worker = t.app.get(OutboxWorker);
  return {
    ds,
    outbox,
    worker,
    /** What the referral feature would enqueue for `patient`. */
    item(patient: string, ref: string): EnqueueItem {
      return { registrationId: registrationId(), patientKey: patient, kind: 'referral.created', businessKey: `referral.created:${ref}`, bundle: referralBundle(patient, ref) };
    },
    /** Enqueues a referral for `patient` in a transaction of its own; returns the entry id and its fake-server key. */
    async enqueue(patient: string, ref = randomUUID().slice(0, 8)) {
      const r = await ds.transaction((m) => outbox.enqueue(m, this.item(patient, ref)));
      return { id: r.id, key: keyOf(ref) };
    },
    async row(id: string): Promise<{ status: string; attempts: number; last_error: Record<string, unknown> | null; response: unknown[] | null; takeovers: number }> {
      const [r] = await ds.query(`SELECT status, attempts, last_error, response, takeovers FROM outbox_entry WHERE id = $1`, [id]);
      return r;
    },
    /**
     * Runs the worker by hand until `done` holds (retries are due within milliseconds in these tests). The
     * deadline only stops a test that would never settle; a busy machine takes longer, it does not fail.
     */
    async settle(done: () => Promise<boolean>, timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > end) throw new Error('the outbox did not settle in time');
        await worker.drain();
        await sleep(10);
      }
    },
  };
}
