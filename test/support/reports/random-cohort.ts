// Seeded random programs for the disclosure attack: journeys, attendance, answers and alerts drawn so that
// small cells are common (few people, skewed outcomes, unchanged scores), with every journey consistent
// with the SQL adapter's rules (a person declined as "not eligible" was screened and found ineligible, …).
import type { ScoreMeta, TimepointCode } from '../../../src/reports/outcome-data.port.js';
import { DECLINE_REASONS, WITHDRAWAL_REASONS } from '../../../src/reports/reasons.js';
import { SATISFACTION_ITEMS, SATISFACTION_URL } from '../../../src/reports/score-catalogue.js';
import { PHQ9_ONLY } from './cohorts.js';
import { mscProgram, type JourneyOutcome, type SyntheticParticipant, type SyntheticProgram, type SyntheticResponse } from './synthetic-cohort.js';

/** mulberry32: a tiny, well-mixed 32-bit generator; the same seed gives the same cohort everywhere. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const chance = (p: number) => next() < p;
  /** An index drawn with the given weights. */
  const weighted = (weights: readonly number[]) => {
    let r = next() * weights.reduce((s, w) => s + w, 0);
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
    return weights.length - 1;
  };
  return { next, int, pick, chance, weighted };
}
export type Random = ReturnType<typeof seeded>;

/** The score's grid: PHQ-9 and GAD-7 whole points, WHO-5 steps of 4, SCS-SF means of 12 items (2 decimals). */
function drawScore(r: Random, meta: ScoreMeta, near?: number): number {
  const step = meta.max - meta.min > 50 ? 4 : meta.max - meta.min <= 4 ? 1 / 12 : 1;
  const steps = Math.round((meta.max - meta.min) / step);
  const base = near === undefined ? r.int(0, steps) : Math.round((near - meta.min) / step) + r.int(-6, 6);
  const k = Math.max(0, Math.min(steps, base));
  return Number((meta.min + k * step).toFixed(2));
}

const OUTCOMES: JourneyOutcome[] = ['awaiting', 'declined', 'inProgress', 'completed', 'withdrawn'];

function journey(r: Random, weights: number[]): Pick<SyntheticParticipant, 'outcome' | 'screened' | 'eligible' | 'declineReason' | 'withdrawalReason'> {
  const outcome = OUTCOMES[r.weighted(weights)];
  if (outcome === 'declined') {
    const reason = r.pick(Object.keys(DECLINE_REASONS));
    const flags =
      reason === 'ineligible' ? { screened: true, eligible: false }
      : reason === 'declined-before-screening' ? { screened: false, eligible: false }
      : reason === 'declined-after-screening' ? { screened: true, eligible: true }
      : { screened: r.chance(0.5), eligible: false };
    return { outcome, declineReason: reason, ...flags };
  }
  if (outcome === 'awaiting') {
    const screened = r.chance(0.5);
    return { outcome, screened, eligible: screened && r.chance(0.5) };
  }
  if (outcome === 'withdrawn') return { outcome, withdrawalReason: r.chance(0.2) ? undefined : r.pick(Object.keys(WITHDRAWAL_REASONS)) };
  return { outcome };
}

/** One random program's participants; `size` people (default 1–70, mostly small). */
export function randomCohort(seed: number, size?: number): { program: SyntheticProgram; people: SyntheticParticipant[] } {
  const r = seeded(seed);
  const program = r.chance(0.3) ? PHQ9_ONLY : mscProgram();
  const n = size ?? (r.chance(0.5) ? r.int(1, 25) : r.int(20, 70));
  const cohorts = ['Spring', 'Summer', 'Autumn'].slice(0, r.int(1, 3));
  const weights = OUTCOMES.map(() => r.int(0, 6) + (r.chance(0.3) ? 20 : 0));
  const caregivers = r.next() * 0.5;
  const pUnchanged = r.next() * 0.4;
  const pBaseline = 0.5 + r.next() * 0.5;
  // Languages from a stream of their own, so the rest of each seeded program is drawn as before: a share of
  // responses (none to most) answered in Spanish, the rest in English.
  const lang = seeded(seed ^ 0x5e5);
  const pSpanish = lang.chance(0.2) ? 0 : lang.next() * 0.7;
  const language = () => (lang.chance(pSpanish) ? 'es' : 'en');
  const people = Array.from({ length: n }, (_, i): SyntheticParticipant => {
    const j = journey(r, weights);
    const enrolled = ['inProgress', 'completed', 'withdrawn'].includes(j.outcome);
    const completed = j.outcome === 'completed';
    const responses: SyntheticResponse[] = [];
    if (enrolled) {
      for (const meta of program.scores) {
        const before = r.chance(pBaseline) ? drawScore(r, meta) : undefined;
        const after = r.chance(completed ? 0.85 : 0.2) ? (before !== undefined && r.chance(pUnchanged) ? before : drawScore(r, meta, before)) : undefined;
        const at = (timepoint: TimepointCode, v: number) => ({ timepoint, instrumentUrl: meta.instrumentUrl, scores: { [meta.linkId]: v }, mode: r.chance(0.2) ? 'proxy' as const : 'self' as const, language: language() });
        if (before !== undefined) responses.push(at('baseline', before));
        if (after !== undefined) responses.push(at('post', after));
      }
      if (completed && r.chance(0.7)) {
        const items = Object.fromEntries(SATISFACTION_ITEMS.map((it) => [it.linkId, r.chance(0.8) ? r.int(3, 5) : r.int(1, 5)]));
        responses.push({ timepoint: 'post', instrumentUrl: SATISFACTION_URL, items, language: language() });
      }
    }
    const raised = enrolled && r.chance(0.15) ? r.int(1, 2) : 0;
    return {
      id: `r${seed}-${i}`,
      type: r.chance(caregivers) ? 'caregiver' : 'patient',
      cohort: enrolled ? r.pick(cohorts) : '',
      referredOn: '2026-03-01',
      ...j,
      attended: enrolled ? (completed ? r.int(3, 8) : r.int(0, 6)) : undefined,
      responses,
      ...(raised ? { alerts: { raised, followedUp: r.int(0, raised) } } : {}),
    };
  });
  return { program, people };
}
