import { EhrSystemAuthorizer, type FhirConnection } from '../src/fhir/fhir-connection.js';
import { OutboxWorker } from '../src/fhir/outbox.worker.js';
import { FakeEhr } from './support/fake-ehr.js';
import { FakeAuthorizer, outboxHelpers, until } from './support/outbox-fixtures.js';
import { freePort } from './support/service-process.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REGISTRATION = '00000000-0000-4000-8000-000000000001';

/** Notes, at each token request, whether the service was listening (its own token endpoint and JWKS answer only then). */
class ListeningWitness extends FakeAuthorizer {
  readonly listeningAtRequest: boolean[] = [];
  isListening = () => false;

  override async systemConnection(registrationId: string): Promise<FhirConnection> {
    this.listeningAtRequest.push(this.isListening());
    return super.systemConnection(registrationId);
  }
}

describe('the write-back worker starts once the service listens', () => {
  let t: TestApp | undefined;
  let ehr: FakeEhr;
  afterAll(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('does not poll after bootstrap alone; after listen it polls, and its first token request finds the server listening', async () => {
    ehr = await FakeEhr.start();
    const authorizer = new ListeningWitness();
    authorizer.baseUrl = ehr.baseUrl;
    // The worker is on (the default), polling often; the app is initialised but not yet listening, as main.ts's
    // `listen` leaves it between bootstrap and the server's start.
    t = await createTestApp({ fhir: { outboxPollMs: 20 }, overrides: [{ provide: EhrSystemAuthorizer, useValue: authorizer }] });
    const server = t.app.getHttpServer();
    authorizer.isListening = () => server.listening;
    const worker = t.app.get(OutboxWorker);
    const h = outboxHelpers(t, () => REGISTRATION);
    const { id } = await h.enqueue('Patient/worker-start');
    expect(worker.polling).toBe(false);

    await t.app.listen(await freePort(), '127.0.0.1');
    expect(worker.polling).toBe(true);
    await until(async () => (await h.row(id)).status === 'delivered', 'the polling worker delivers the entry');
    expect(authorizer.listeningAtRequest.length).toBeGreaterThan(0);
    expect(authorizer.listeningAtRequest.every(Boolean)).toBe(true);
  });
});
