import { attack, type Finding } from '../../test/support/reports/attack.js';
import { PHQ9_ONLY } from '../../test/support/reports/cohorts.js';
import { InMemoryOutcomeData } from '../../test/support/reports/in-memory-outcome-data.js';
import { publish, walk, type Publication, type Seen } from '../../test/support/reports/published.js';
import { randomCohort } from '../../test/support/reports/random-cohort.js';
import { many, Q, type SyntheticParticipant, type SyntheticProgram } from '../../test/support/reports/synthetic-cohort.js';
import { assembleOutcomeReport } from './assembly/outcome-report.js';
import type { OutcomeFilters } from './outcome-filters.js';

const FILTERS: OutcomeFilters = { registrationId: 'clinic', program: 'mindful-self-compassion-als' };

/** Publishes the report in every format and attacks what was served; the truth only judges guesses. */
async function attackReport(program: SyntheticProgram, people: SyntheticParticipant[], threshold: number, filters: OutcomeFilters = FILTERS): Promise<{ pub: Publication; findings: Finding[] }> {
  const port = new InMemoryOutcomeData(program, people);
  const pub = await publish(port, threshold, filters);
  const truth = new Map<string, Seen>();
  walk(assembleOutcomeReport(await port.load(filters), { threshold: 1, filters: {}, generatedAt: new Date() }).report, '', truth);
  return { pub, findings: attack(pub, truth) };
}

async function findings(seed: number): Promise<string[]> {
  const { program, people } = randomCohort(seed);
  const threshold = seed % 7 === 0 ? 5 : 11;
  // Every third program is also reported on its responses in Spanish only (the language filter, issue 15).
  const variants: [string, OutcomeFilters][] = [['', FILTERS], ...(seed % 3 === 0 ? [[', language es', { ...FILTERS, language: 'es' }] as [string, OutcomeFilters]] : [])];
  const all: string[] = [];
  for (const [label, filters] of variants) {
    const { findings: found } = await attackReport(program, people, threshold, filters);
    all.push(...found.map((f) => `seed ${seed}${label} (k ${threshold}, ${people.length} people): ${f.kind} ${f.pointer} ${f.detail}`));
  }
  return all;
}

/** PHQ-9 pairs (before → after): improved by 6, unchanged, or worse by 2 — n people of each. */
function phqPairs(improved: number, unchanged: number, worsened: number, spread = 3): SyntheticParticipant[] {
  const phq = (timepoint: 'baseline' | 'post', total: number) => ({ timepoint, instrumentUrl: Q('phq-9'), scores: { 'phq9-total': total } });
  const pair = (before: number, after: number) => (i: number): Omit<SyntheticParticipant, 'id'> => ({
    type: 'patient', cohort: 'Spring', referredOn: '2026-03-01', outcome: 'completed', attended: 8,
    responses: [phq('baseline', before + (i % spread)), phq('post', after + (i % spread))],
  });
  return [...many(improved, 'i', pair(14, 8)), ...many(unchanged, 'u', pair(12, 12)), ...many(worsened, 'w', pair(9, 11))];
}

// Seeded random programs (1–70 people, skewed journeys, unchanged scores, k = 11 or 5), each built in all
// four formats; the attacker reads only what was served. Chunked so no test nears the timeout on a busy
// machine; nothing here is timed.
describe('an attack on published reports (seeded random programs, published output only)', () => {
  it.each([
    [1, 30],
    [31, 60],
    [61, 90],
    [91, 120],
  ])('recovers no suppressed count and finds no statistic beside one (seeds %i–%i)', async (from, to) => {
    const all: string[] = [];
    for (let seed = from; seed <= to; seed++) all.push(...(await findings(seed)));
    expect(all).toEqual([]);
  }, 180_000);
});

describe('the attacks that worked on the published report', () => {
  it('withholds the Wilcoxon test when the unchanged or worsened count is suppressed (V and its n pin them)', async () => {
    // 20 pairs: 12 improved, 3 unchanged, 5 worse. V (rank sum of the rises) and the test's n (17) would
    // give away the 3 and the 5.
    const { pub, findings: found } = await attackReport(PHQ9_ONLY, phqPairs(12, 3, 5), 11);
    expect(pub.values.get('/outcomes/0/paired/n')).toBe(20);
    expect(pub.values.get('/outcomes/0/paired/unchanged')).toBe('suppressed');
    for (const p of ['V', 'p', 'method', 'nNonZero']) expect(pub.values.get(`/outcomes/0/paired/wilcoxon/${p}`)).toBe('suppressed');
    // The change itself is still reported over the 20 pairs.
    expect(typeof pub.values.get('/outcomes/0/paired/change/mean')).toBe('number');
    expect(found).toEqual([]);
  });

  it('draws no per-participant lines (nor their data table) when a count they give away is suppressed', async () => {
    const { pub, findings: found } = await attackReport(PHQ9_ONLY, phqPairs(12, 3, 5), 11);
    expect(pub.pairs.size).toBe(0);
    expect(found).toEqual([]);
    // With every count from the pairs 0 or at least 11 (direction, MCID, bands: moderate → mild and
    // mild → moderate), the lines are drawn.
    const shown = await attackReport(PHQ9_ONLY, phqPairs(12, 0, 11, 1), 11);
    expect(shown.pub.pairs.get(0)).toHaveLength(23);
    expect(shown.findings).toEqual([]);
  });
});
