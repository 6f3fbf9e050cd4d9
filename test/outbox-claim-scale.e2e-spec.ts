import { DataSource } from 'typeorm';
import { CLAIM, CLAIM_TURN } from '../src/fhir/outbox.queue.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Two registrations (clinics on two EHRs) with the same patient keys: each (registration, patient) is a queue of its own.
const REGISTRATIONS = ['00000000-0000-4000-8000-000000000065', '00000000-0000-4000-8000-000000000066'];
const LEASE = 3_600_000;
const PATIENTS = 3;
const BACKLOG = 300; // entries waiting per patient
const HISTORY = 300; // entries delivered before the outage, per patient

/** A plan node of EXPLAIN (ANALYZE, FORMAT JSON), as far as this suite reads it. */
interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows of outbox_entry the plan's scans read: returned or filtered out, in every loop. */
function outboxRowsRead(node: PlanNode): number {
  const own = node['Relation Name'] === 'outbox_entry' ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((n, p) => n + outboxRowsRead(p), 0);
}

/**
 * After an EHR outage a clinic has a backlog of write-backs over a few patients, on top of everything delivered
 * before. The worker claims again as each delivery ends, so a claim that read the whole backlog (or a patient's whole
 * history) made draining n entries cost O(n²). Counted in rows read, not time: the claim reads about as many rows as
 * there are patients and entries it claims.
 */
describe('outbox claim at a backlog: reads patients, not entries', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ fhir: { outboxWorker: false } });
    ds = t.app.get(DataSource);
    const insert = (registration: string, status: string, from: number) =>
      ds.query(
        `INSERT INTO outbox_entry (registration_id, patient_key, kind, business_key, bundle, status, next_attempt_at)
         SELECT $1, 'Patient/scale-' || (g % ${PATIENTS}), 'referral.created', 'scale:' || $2 || ':' || g,
           jsonb_build_object('resourceType', 'Bundle', 'type', 'transaction', 'entry', jsonb_build_array(jsonb_build_object(
             'request', jsonb_build_object('method', 'PUT', 'url', 'Task?identifier=https://example.org/task|scale-' || (g % ${PATIENTS}))))),
           $2, now() - interval '1 minute'
         FROM generate_series($3::int, $3::int + $4::int - 1) g ORDER BY g`,
        [registration, status, from, PATIENTS * (status === 'delivered' ? HISTORY : BACKLOG)],
      );
    for (const [i, registration] of REGISTRATIONS.entries()) {
      await insert(registration, 'delivered', i * 10_000);
      await insert(registration, 'pending', 1_000_000 + i * 10_000);
    }
    await ds.query(`ANALYZE outbox_entry`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('claims each patient’s head reading a few rows per patient, neither the backlog nor the delivered history', async () => {
    // EXPLAIN ANALYZE runs the claim: in a transaction rolled back after it, so the rows stay as they were.
    const q = ds.createQueryRunner();
    let plan: PlanNode;
    let claimed: { seq: string }[];
    try {
      await q.startTransaction('READ COMMITTED');
      await q.query(CLAIM_TURN);
      const [row] = (await q.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${CLAIM}`, [10, LEASE])) as { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
      plan = row['QUERY PLAN'][0].Plan;
      claimed = await q.query(`SELECT seq FROM outbox_entry WHERE status = 'in_flight'`);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
    // Each patient's oldest waiting entry, and only those.
    const heads = (await ds.query(
      `SELECT DISTINCT ON (registration_id, patient_key) seq FROM outbox_entry WHERE status = 'pending' ORDER BY registration_id, patient_key, seq`,
    )) as { seq: string }[];
    expect(claimed.map((c) => c.seq).sort()).toEqual(heads.map((h) => h.seq).sort());
    expect(claimed).toHaveLength(REGISTRATIONS.length * PATIENTS);
    // 2 × 3 × (300 + 300) = 3 600 rows: reading the backlog or the history in full is far above this.
    expect(outboxRowsRead(plan)).toBeLessThan(20 * REGISTRATIONS.length * PATIENTS);
  });
});
