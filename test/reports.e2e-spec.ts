import { jest } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OutcomeDataPort } from '../src/reports/outcome-data.port.js';
import { assembleOutcomeReport } from '../src/reports/assembly/outcome-report.js';
import { resolvePointer } from '../src/reports/figures.js';
import { OutcomeReportService } from '../src/reports/outcome-report.service.js';
import { attack } from './support/reports/attack.js';
import { largeCohort } from './support/reports/cohorts.js';
import { InMemoryOutcomeData } from './support/reports/in-memory-outcome-data.js';
import { readPublished, walk, type Seen } from './support/reports/published.js';
import { mscProgram } from './support/reports/synthetic-cohort.js';
import { signIn, type SignedIn } from './support/sign-in.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/wait.js';

/** The outcome report over synthetic data (the port is replaced; the SQL adapter has its own suite). */
describe('GET /api/reports/outcomes', () => {
  let t: TestApp;
  let quality: SignedIn;
  let admin: SignedIn;
  const server = () => t.app.getHttpServer();
  const exports = async () =>
    (await t.app.get(DataSource).query(`SELECT actor, actor_role, outcome, detail, patient_id FROM audit_event WHERE action = 'report.export' ORDER BY occurred_at`)) as {
      actor: string; actor_role: string; outcome: string; detail: Record<string, unknown>; patient_id: string | null;
    }[];
  const URL = '/api/reports/outcomes?program=mindful-self-compassion-als';

  beforeAll(async () => {
    t = await createTestApp({ overrides: [{ provide: OutcomeDataPort, useValue: new InMemoryOutcomeData(mscProgram(), largeCohort()) }] });
    quality = await signIn(t.app, { role: 'quality' });
    admin = await signIn(t.app, { role: 'admin' });
  });
  afterAll(async () => t?.close());

  it('gives the quality team the de-identified JSON report, and audits the export without PHI', async () => {
    const res = await request(server()).get(`${URL}&from=2026-01-01&to=2026-12-31`).set('Cookie', quality.cookie).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ deidentified: true, suppression: { threshold: 11 }, program: { slug: 'mindful-self-compassion-als' } });
    expect(res.body.funnel.withdrawn).toEqual({ suppressed: true });
    expect(resolvePointer(res.body, '/outcomes/0/paired/n')).toBe(30);
    // Baseline and post n by language: 9 PHQ-9 baselines in Spanish are below 11, so suppressed.
    expect(resolvePointer(res.body, '/outcomes/0/languages')).toEqual([
      { code: 'en', baseline: expect.anything(), post: 15 },
      { code: 'es', baseline: { suppressed: true }, post: 15 },
    ]);
    const [row] = (await exports()).slice(-1);
    expect(row).toMatchObject({ outcome: 'success', actor_role: 'quality', patient_id: null, detail: { format: 'json', threshold: 11, filters: { program: 'mindful-self-compassion-als', from: '2026-01-01', to: '2026-12-31' } } });
    expect(JSON.stringify(row.detail)).not.toMatch(/c-\d|P-[0-9a-f]/);
  });

  it.each([
    ['measure-report', /^application\/fhir\+json/, (body: string) => expect(JSON.parse(body)).toMatchObject({ resourceType: 'MeasureReport', status: 'complete', type: 'summary' })],
    ['html', /^text\/html/, (body: string) => expect(body).toMatch(/<svg [^>]*role="img"/)],
    ['csv', /^text\/csv/, (body: string) => expect(body.split('\r\n')[0]).toBe('participant,participant_type,cohort,timepoint,instrument,score,value,answer_mode,language')],
  ])('exports %s to an admin, audited', async (format, type, check) => {
    const before = (await exports()).length;
    const res = await request(server()).get(`${URL}&format=${format}`).set('Cookie', admin.cookie).buffer(true).parse((r, cb) => {
      let data = '';
      r.on('data', (c: Buffer) => (data += c.toString('utf8')));
      r.on('end', () => cb(null, data));
    }).expect(200);
    expect(res.headers['content-type']).toMatch(type);
    check(res.body as string);
    // The CSV is audited once its last row is out.
    await until(async () => (await exports()).length > before, `the ${format} export is audited`);
    const rows = await exports();
    expect(rows).toHaveLength(before + 1);
    expect(rows[before]).toMatchObject({ outcome: 'success', actor_role: 'admin', detail: { format } });
  });

  it('streams the CSV with pseudonyms only, and its row count', async () => {
    const res = await request(server()).get(`${URL}&format=csv`).set('Cookie', quality.cookie).expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="outcomes-mindful-self-compassion-als-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (res.text as string).trim().split('\r\n');
    expect(lines).toHaveLength(1 + Number(res.headers['x-report-rows']));
    expect(lines.slice(1).every((l) => /^P-[0-9a-f]{24},(patient|caregiver),/.test(l))).toBe(true);
  });

  it('refuses a CSV whose groups are all smaller than the threshold with 422, audited as a failure', async () => {
    // 10 caregivers in two cohorts: no (cohort × type) group reaches 11.
    const res = await request(server()).get(`${URL}&format=csv&participantType=caregiver`).set('Cookie', quality.cookie).expect(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].details.coding[0].code).toBe('REPORTS.POPULATION_TOO_SMALL');
    expect((await exports()).slice(-1)[0]).toMatchObject({ outcome: 'failure', detail: { format: 'csv', reason: 'REPORTS.POPULATION_TOO_SMALL' } });
  });

  it.each([
    ['no filter', ''],
    ['caregivers', '&participantType=caregiver'],
    ['patients', '&participantType=patient'],
    ['proxy answers', '&answerMode=proxy'],
    ['responses in Spanish', '&language=es'],
    ['responses in English', '&language=en'],
    ['referrals from 12 January', '&from=2026-01-12'],
  ])('serves nothing an attacker can undo (%s): no suppressed count recovered, no statistic beside one', async (_what, query) => {
    const text = async (format: string) => {
      const res = await request(server()).get(`${URL}${query}&format=${format}`).set('Cookie', quality.cookie).buffer(true).parse((r, cb) => {
        let data = '';
        r.on('data', (c: Buffer) => (data += c.toString('utf8')));
        r.on('end', () => cb(null, data));
      });
      expect([200, 422]).toContain(res.status);
      return res.status === 200 ? (res.body as string) : null;
    };
    const [json, html, measureReport, csv] = await Promise.all(['json', 'html', 'measure-report', 'csv'].map(text));
    const pub = readPublished(11, { json: json!, html: html!, measureReport: measureReport!, csv });
    const filters = Object.fromEntries(new URLSearchParams(query).entries());
    const data = await new InMemoryOutcomeData(mscProgram(), largeCohort()).load({ registrationId: 'c', program: 'mindful-self-compassion-als', ...filters });
    const truth = new Map<string, Seen>();
    walk(assembleOutcomeReport(data, { threshold: 1, filters: {}, generatedAt: new Date() }).report, '', truth);
    expect([...pub.values.values()].filter((v) => v === 'suppressed').length).toBeGreaterThan(0);
    expect(attack(pub, truth)).toEqual([]);
  });

  it.each(['clinician', 'coordinator'] as const)('refuses a %s with 403', async (role) => {
    const who = await signIn(t.app, { role, patientId: role === 'clinician' ? 'pat-1' : null });
    const res = await request(server()).get(URL).set('Cookie', who.cookie).expect(403);
    expect(res.body.issue[0].details.coding[0].code).toBe('AUTH.FORBIDDEN');
  });

  it.each(['json', 'csv', 'html'])('refuses HEAD (%s) with 405 and Allow: GET, running no export and auditing none', async (format) => {
    const reports = t.app.get(OutcomeReportService);
    const csv = jest.spyOn(reports, 'csv');
    const render = jest.spyOn(reports, 'render');
    try {
      const before = (await exports()).length;
      const res = await request(server()).head(`${URL}&format=${format}`).set('Cookie', quality.cookie).expect(405);
      expect(res.headers.allow).toBe('GET');
      expect(csv).not.toHaveBeenCalled();
      expect(render).not.toHaveBeenCalled();
      expect(await exports()).toHaveLength(before);
    } finally {
      csv.mockRestore();
      render.mockRestore();
    }
  });

  it('answers 401 without a session', async () => {
    await request(server()).get(URL).expect(401);
  });

  it.each([
    ['no program', '/api/reports/outcomes'],
    ['an unknown format', `${URL}&format=pdf`],
    ['an impossible date', `${URL}&from=2026-02-30`],
    ['from after to', `${URL}&from=2026-05-01&to=2026-04-01`],
    ['a cohort that is not an id', `${URL}&cohort=spring`],
    ['an unknown parameter', `${URL}&patient=123`],
    ['a language that is not a code', `${URL}&language=Spanish`],
    ['a repeated parameter', `${URL}&participantType=patient&participantType=caregiver`],
  ])('answers 400 with an OperationOutcome for %s', async (_what, url) => {
    const res = await request(server()).get(url).set('Cookie', quality.cookie).expect(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].details.coding[0].code).toBe('COMMON.VALIDATION');
  });

  it('lists the route in the OpenAPI document', async () => {
    const res = await request(server()).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toContain('/api/reports/outcomes');
  });
});
