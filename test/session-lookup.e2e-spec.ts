import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EhrRegistration } from '../src/smart/registry/ehr-registration.entity.js';
import { AppUser } from '../src/smart/users/app-user.entity.js';
import { AppSession } from '../src/smart/session/app-session.entity.js';
import { SessionService } from '../src/smart/session/session.service.js';
import { signIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The session lookup is one statement written out from the entities' metadata (SessionService.lookupSql), not
 * TypeORM's query builder: it must answer exactly the row the entity maps, every column (a column added to AppSession
 * later included), and nothing for a revoked or expired session or a disabled registration.
 */
describe('the session lookup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const hashOf = (cookie: string) => createHash('sha256').update(decodeURIComponent(cookie.split(';')[0].split('=')[1])).digest('hex');

  it('answers the stored row, every column as the entity maps it, with its user', async () => {
    const s = await signIn(t.app, { role: 'clinician', patientId: 'synthetic-p1', encounterId: 'synthetic-e1' });
    const idHash = hashOf(s.cookie);
    const repo = t.app.get(DataSource).getRepository(AppSession);
    // Every nullable column set, jsonb included.
    await repo.update({ idHash }, {
      fhirContext: [{ reference: 'Questionnaire/synthetic-q' }],
      launchTask: { id: 't1', versionId: '2', form: 'http://example.org/Questionnaire/x|1', asks: { canonical: 'http://example.org/Questionnaire/x|1' }, substance: { intent: 'order', code: null, for: 'Patient/synthetic-p1', focus: null, input: null } } as never,
      smartStyleUrl: 'https://ehr.test/style.json',
      accessExpiresAt: new Date('2030-01-02T03:04:05.678Z'),
    });
    const stored = await repo.findOneByOrFail({ idHash });
    const loaded = await t.app.get(SessionService).loadByHash(idHash);
    expect(loaded).not.toBeNull();
    // Every column, as TypeORM maps it (a column left out of the statement would be missing here).
    expect({ ...loaded!.row }).toEqual({ ...stored });
    expect(loaded!.row).toBeInstanceOf(AppSession);
    const user = await t.app.get(DataSource).getRepository(AppUser).findOneByOrFail({ id: stored.userId });
    expect(loaded!.user).toMatchObject({ fhirUser: user.fhirUser, displayName: 'Synthetic clinician', userId: stored.userId, registrationId: stored.registrationId, role: 'clinician', patientId: 'synthetic-p1', encounterId: 'synthetic-e1', smartStyleUrl: 'https://ehr.test/style.json', csrfToken: stored.csrfToken });
  });

  it('answers nothing for a revoked or expired session, or one of a disabled registration', async () => {
    const repo = t.app.get(DataSource).getRepository(AppSession);
    const sessions = t.app.get(SessionService);
    const revoked = hashOf((await signIn(t.app, { role: 'coordinator' })).cookie);
    await repo.update({ idHash: revoked }, { revokedAt: new Date() });
    expect(await sessions.loadByHash(revoked)).toBeNull();
    const expired = hashOf((await signIn(t.app, { role: 'coordinator' })).cookie);
    await repo.update({ idHash: expired }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await sessions.loadByHash(expired)).toBeNull();
    expect(await sessions.loadByHash('0'.repeat(64))).toBeNull();
    const other = await signIn(t.app, { role: 'clinician', issuer: 'https://other-ehr.test/fhir' });
    const otherHash = hashOf(other.cookie);
    expect(await sessions.loadByHash(otherHash)).not.toBeNull();
    await t.app.get(DataSource).getRepository(EhrRegistration).update({ issuer: 'https://other-ehr.test/fhir' }, { enabled: false });
    expect(await sessions.loadByHash(otherHash)).toBeNull();
  });
});
