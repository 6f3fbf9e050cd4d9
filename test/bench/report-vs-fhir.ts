import type { QuestionnaireResponse } from 'fhir/r4.js';
import { randomBytes } from 'node:crypto';
import { benchDatabase, benchDataSource, outcomeReportOnce, seedBenchClinic } from '../../src/reports/bench/bench-database.js';
import { SqlOutcomeData } from '../../src/reports/outcome-data.sql.js';
import { Pseudonymizer } from '../../src/reports/pseudonym.js';
import { EHR_PROFILES, ReferenceEhr } from '../support/reference-ehr/reference-ehr.js';

export interface ReportVsFhir {
  referrals: number;
  responses: number;
  /** The outcome report over them (SQL + assembly + HTML + JSON), the median of 3 runs. */
  reportMs: number;
  /** Every one of the same QuestionnaireResponses fetched from the reference EHR by FHIR search, page by page. */
  fhirSearchMs: number;
  pages: number;
  fetched: number;
  seedSeconds: number;
}

const PAGE = 1000;

interface Row {
  id: string;
  questionnaire: string;
  subject: string;
  author: string;
  source: string;
  authored: Date;
  link_id: string | null;
  value: string | null;
}

/** The stored response as the FHIR QuestionnaireResponse an EHR would hold: subject, author, source, its score item. */
function asFhir(r: Row): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id: r.id,
    status: 'completed',
    questionnaire: r.questionnaire,
    subject: { reference: r.subject },
    author: { reference: r.author },
    source: { reference: r.source },
    authored: r.authored.toISOString(),
    ...(r.link_id ? { item: [{ linkId: r.link_id, answer: [{ valueDecimal: Number(r.value) }] }] } : {}),
  };
}

/**
 * The question a quality team asks of "just query the EHR": the outcome report over a clinic's responses from our
 * database, against fetching the same QuestionnaireResponses from a FHIR server (the reference EHR, in memory,
 * on this machine: no network, no auth round trips beyond one token) with plain FHIR search paging (_count=1000),
 * before any statistics are computed. Both sides hold the same responses; seeding is not timed.
 */
export async function reportVsFhirSearch(referrals: number, say: (line: string) => void): Promise<ReportVsFhir> {
  const db = await benchDatabase();
  const ds = benchDataSource(db);
  await ds.initialize();
  const ehr = await ReferenceEhr.start({ profile: EHR_PROFILES.transaction });
  try {
    const t0 = performance.now();
    const registrationId = await seedBenchClinic(ds, referrals);
    const rows: Row[] = await ds.query(
      `SELECT qr.id, qr.questionnaire, qr.subject_type || '/' || qr.subject_id AS subject, qr.author, qr.source, qr.authored, s.link_id, s.value::text AS value
         FROM questionnaire_response qr LEFT JOIN questionnaire_score s ON s.response_id = qr.id WHERE qr.registration_id = $1`,
      [registrationId],
    );
    await ehr.seed(rows.map(asFhir));
    const seedSeconds = (performance.now() - t0) / 1000;
    say(`report vs FHIR search: ${rows.length} responses in both (seeded in ${seedSeconds.toFixed(1)} s, not timed)`);

    const port = new SqlOutcomeData(ds, new Pseudonymizer(randomBytes(32)));
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push((await outcomeReportOnce(port, { registrationId, program: 'mindful-self-compassion-als' })).totalMs);
    const reportMs = runs.sort((a, b) => a - b)[1];

    const token = ehr.issueUserToken();
    let fetched = 0;
    let pages = 0;
    const s0 = performance.now();
    for (let offset = 0; ; offset += PAGE) {
      const res = await fetch(`${ehr.baseUrl}/QuestionnaireResponse?_count=${PAGE}&_offset=${offset}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' } });
      if (res.status !== 200) throw new Error(`FHIR search answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const bundle = (await res.json()) as { entry?: unknown[] };
      pages += 1;
      fetched += bundle.entry?.length ?? 0;
      if ((bundle.entry?.length ?? 0) < PAGE) break;
    }
    const fhirSearchMs = performance.now() - s0;
    if (fetched !== rows.length) throw new Error(`FHIR search returned ${fetched} of ${rows.length} responses`);
    return { referrals, responses: rows.length, reportMs, fhirSearchMs, pages, fetched, seedSeconds };
  } finally {
    await ehr.close();
    await ds.destroy();
    await db.close();
  }
}
