import request from 'supertest';
import { DataSource } from 'typeorm';
import { signIn } from './support/sign-in.js';
import { AuditService } from '../src/audit/audit.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('the audit log', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    await t.app.get(AuditService).record({
      action: 'test.append',
      outcome: 'success',
      actor: 'Practitioner/synthetic-1',
      actorRole: 'clinician',
      resourceType: 'Patient',
      resourceId: 'synthetic-p1',
      patientId: 'synthetic-p1',
      requestId: 'req-12345678',
    });
  });
  afterAll(async () => t?.close());

  it('appends an event with who, what, outcome and request id', async () => {
    const rows = await ds.query(`SELECT actor, actor_role, action, resource_type, patient_id, outcome, request_id, occurred_at FROM audit_event WHERE action = 'test.append'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: 'Practitioner/synthetic-1',
      actor_role: 'clinician',
      action: 'test.append',
      resource_type: 'Patient',
      patient_id: 'synthetic-p1',
      outcome: 'success',
      request_id: 'req-12345678',
    });
    expect(rows[0].occurred_at).toBeInstanceOf(Date);
  });

  it.each([
    ['UPDATE', `UPDATE audit_event SET outcome = 'failure'`],
    ['DELETE', `DELETE FROM audit_event`],
    ['TRUNCATE', `TRUNCATE audit_event`],
  ])('refuses %s in the database itself', async (_op, sql) => {
    await expect(ds.query(sql)).rejects.toThrow(/append-only/);
    const [{ n, failures }] = await ds.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome <> 'success')::int AS failures FROM audit_event WHERE action = 'test.append'`,
    );
    expect(n).toBe(1);
    expect(failures).toBe(0);
  });

  it('can be searched by an admin, and by no one else', async () => {
    const admin = await signIn(t.app, { role: 'admin' });
    const coordinator = await signIn(t.app, { role: 'coordinator' });
    const res = await request(t.app.getHttpServer()).get('/api/admin/audit?patient=synthetic-p1&limit=10').set('Cookie', admin.cookie).expect(200);
    expect(res.body.map((e: { action: string }) => e.action)).toEqual(['test.append']);
    await request(t.app.getHttpServer()).get('/api/admin/audit?limit=0').set('Cookie', admin.cookie).expect(400);
    await request(t.app.getHttpServer()).get('/api/admin/audit').set('Cookie', coordinator.cookie).expect(403);
  });
});
