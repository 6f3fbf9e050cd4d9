import type { PlanDefinition } from 'fhir/r4.js';
import { PROGRAM_SEED } from '../../../migrations/1795000004000-programs.seed.js';
import { r4SchemaErrors } from '../../../test/support/fhir-r4-schema.js';
import { EXTENSION } from '../shared/program-codes.js';
import { machineName, planDefinitionOf, type ProgramVersionFacts } from './plan-definition.fhir.js';
import { programInputSchema } from './program-definition.js';

const seeded = (slug: string): ProgramVersionFacts => {
  const p = PROGRAM_SEED.find((s) => s.slug === slug)!;
  return { ...structuredClone(p), kind: p.kind, publishedAt: new Date('2026-01-05T09:00:00Z'), current: true } as unknown as ProgramVersionFacts;
};

describe('programs as PlanDefinitions', () => {
  it('seeds programs that pass the same validation as an admin-created one', () => {
    for (const p of PROGRAM_SEED) expect(programInputSchema.safeParse(structuredClone(p)).error?.issues ?? []).toEqual([]);
  });

  it.each(PROGRAM_SEED.map((p) => p.slug))('maps %s to a schema-valid R4 PlanDefinition', (slug) => {
    const pd = planDefinitionOf(seeded(slug));
    expect(r4SchemaErrors(pd)).toEqual([]);
    expect(pd).toMatchObject({ resourceType: 'PlanDefinition', url: `https://als-wellness.example.org/fhir/PlanDefinition/${slug}`, version: '1.0.0', status: 'active' });
    expect(pd.name).toMatch(/^[A-Z][A-Za-z0-9_]{0,254}$/);
  });

  it('describes the 8-week course: sessions, participants, eligibility, completion rule, timepoints', () => {
    const pd: PlanDefinition = planDefinitionOf(seeded('mindful-self-compassion-als'));
    const sessions = pd.action!.find((a) => a.id === 'sessions')!;
    expect(sessions.timingTiming!.repeat).toEqual({ count: 8, period: 7, periodUnit: 'd', duration: 90, durationUnit: 'min' });
    expect(sessions.participant!.map((p) => p.type)).toEqual(['patient', 'related-person', 'practitioner']);
    expect(sessions.action!.map((a) => a.id)).toEqual(['guided-meditation', 'sharing', 'supportive-touch', 'core-values']);
    const screening = pd.action!.find((a) => a.id === 'eligibility-screening')!;
    expect(screening.action).toHaveLength(5);
    const ext = Object.fromEntries(pd.extension!.map((e) => [e.url, e]));
    expect(ext[EXTENSION.kind].valueCode).toBe('group-course');
    expect(ext[EXTENSION.capacity].valuePositiveInt).toBe(12);
    expect(ext[EXTENSION.completionRule].extension).toEqual([
      { url: 'minAttended', valueUnsignedInt: 6 },
      { url: 'requirePostQuestionnaires', valueBoolean: true },
    ]);
    const baseline = pd.action!.find((a) => a.id === 'timepoint-baseline')!;
    expect(baseline.relatedAction![0]).toMatchObject({ actionId: 'sessions', relationship: 'before-start', offsetRange: { low: { value: 0 }, high: { value: 14 } } });
    expect(baseline.action!.map((a) => a.definitionCanonical)).toContain('https://als-wellness.example.org/fhir/Questionnaire/phq-9');
    const post = pd.action!.find((a) => a.id === 'timepoint-post')!;
    expect(post.relatedAction![0]).toMatchObject({ relationship: 'after-start', offsetRange: { low: { value: 49, code: 'd' }, high: { value: 63 } } });
    // Every relatedAction points at an action that exists.
    const actionIds = new Set(pd.action!.map((a) => a.id));
    for (const a of pd.action!) for (const r of a.relatedAction ?? []) expect(actionIds.has(r.actionId)).toBe(true);
  });

  it('marks the music therapy as individual sessions with a therapist, and old versions as retired', () => {
    const pd = planDefinitionOf({ ...seeded('music-rhythm-therapy'), current: false });
    expect(pd.status).toBe('retired');
    expect(pd.extension!.find((e) => e.url === EXTENSION.kind)!.valueCode).toBe('individual');
    const sessions = pd.action!.find((a) => a.id === 'sessions')!;
    expect(sessions.participant!.at(-1)).toEqual({ type: 'practitioner', role: { text: 'Therapist' } });
    expect(r4SchemaErrors(pd)).toEqual([]);
  });

  it('makes machine names from slugs', () => {
    expect(machineName('mindful-self-compassion-als')).toBe('MindfulSelfCompassionAls');
    expect(machineName('music-rhythm-therapy')).toBe('MusicRhythmTherapy');
  });
});
