// Writes synthetic participants into the real programs and questionnaires tables, as households (a
// patient's referral with the caregivers referred alongside): what the SQL adapter is tested on. Row by
// row: suites seed a few dozen people (the benchmark bulk-inserts instead).
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { programSatisfactionQuestionnaire } from '../../../src/questionnaires/engine/instruments/program-satisfaction.js';
import type { TimepointCode } from '../../../src/reports/outcome-data.port.js';
import { dueOf, type SyntheticParticipant } from './synthetic-cohort.js';

export interface Household {
  patient: SyntheticParticipant;
  caregivers: SyntheticParticipant[];
}

/** Caregivers join the first patient with the same journey and cohort, and take their referral date. */
export function householdsOf(people: readonly SyntheticParticipant[]): { households: Household[]; flat: SyntheticParticipant[] } {
  const households = people.filter((p) => p.type === 'patient').map((patient) => ({ patient, caregivers: [] as SyntheticParticipant[] }));
  for (const c of people.filter((p) => p.type === 'caregiver')) {
    const h = households.find((x) => x.patient.outcome === c.outcome && x.patient.cohort === c.cohort);
    if (!h) throw new Error(`no patient to attach caregiver ${c.id} to`);
    h.caregivers.push({ ...c, referredOn: h.patient.referredOn, screened: h.patient.screened, eligible: h.patient.eligible, declineReason: h.patient.declineReason, withdrawalReason: h.patient.withdrawalReason });
  }
  return { households, flat: households.flatMap((h) => [h.patient, ...h.caregivers]) };
}

const STATUS = (p: SyntheticParticipant): string =>
  ({ awaiting: p.eligible ? 'accepted' : p.screened ? 'screened' : 'referred', declined: 'declined', inProgress: (p.attended ?? 0) > 0 ? 'active' : 'enrolled', completed: 'completed', withdrawn: 'withdrawn' })[p.outcome];

const SATISFACTION_CODE = new Map(
  (programSatisfactionQuestionnaire.item ?? []).flatMap((i) => [i, ...(i.item ?? [])]).flatMap((i) =>
    (i.answerOption ?? []).map((o) => [`${i.linkId} ${o.extension?.[0]?.valueDecimal}`, o.valueCoding!] as const),
  ),
);

export interface SeedContext {
  ds: DataSource;
  registrationId: string;
  slug: string;
  /** Each program timepoint's instruments, for the assignments of due timepoints. */
  timepoints: { code: TimepointCode; instruments: string[] }[];
}

export async function seedHouseholds(ctx: SeedContext, households: readonly Household[]): Promise<Map<string, string>> {
  const { ds, registrationId } = ctx;
  const [pv] = await ds.query(`SELECT pv.id, pv.program_id FROM program_version pv JOIN program p ON p.id = pv.program_id WHERE p.slug = $1 ORDER BY pv.published_at DESC LIMIT 1`, [ctx.slug]);
  const cohorts = new Map<string, string>();
  const cohortOf = async (label: string): Promise<string> => {
    if (!cohorts.has(label)) {
      const [c] = await ds.query(`INSERT INTO cohort (registration_id, program_version_id, name, start_date, session_time, time_zone, facilitator, capacity, created_by)
        VALUES ($1, $2, $3, '2026-03-02', '10:00', 'Europe/London', 'Practitioner/f1', 40, 'test') RETURNING id`, [registrationId, pv.id, label]);
      const sessions = await ds.query(`INSERT INTO program_session (cohort_id, sequence, starts_at, ends_at, time_zone, facilitator, status)
        SELECT $1, g, '2026-03-02T10:00Z'::timestamptz + (g - 1) * interval '7 days', '2026-03-02T11:30Z'::timestamptz + (g - 1) * interval '7 days', 'Europe/London', 'Practitioner/f1', 'fulfilled'
        FROM generate_series(1, 8) g RETURNING id`, [c.id]);
      cohorts.set(label, c.id);
      cohorts.set(`${label} sessions`, JSON.stringify(sessions.map((s: { id: string }) => s.id)));
    }
    return cohorts.get(label)!;
  };
  let clock = Date.parse('2026-03-01T09:00:00Z');
  for (const { patient, caregivers } of households) {
    const p = patient;
    const screening = p.screened || p.eligible || ['inProgress', 'completed', 'withdrawn'].includes(p.outcome)
      ? JSON.stringify({ answers: {}, eligible: p.eligible ?? p.outcome !== 'declined', consent: { given: true, date: p.referredOn, method: 'verbal' }, screenedBy: 'Practitioner/c1', screenedAt: p.referredOn })
      : null;
    const [ref] = await ds.query(`INSERT INTO referral (registration_id, patient_id, caregivers, program_id, program_version_id, reason, priority, status, requester, screening, created_at)
      VALUES ($1, $2, $3::jsonb, $4, $5, 'wellbeing', 'routine', $6, 'Practitioner/r1', $7::jsonb, $8::date) RETURNING id`,
      [registrationId, p.id, JSON.stringify(caregivers.map((c) => `RelatedPerson/${c.id}`)), pv.program_id, pv.id, STATUS(p), screening, p.referredOn]);
    if (!['inProgress', 'completed', 'withdrawn'].includes(p.outcome)) continue;
    const cohortId = await cohortOf(p.cohort);
    const [enr] = await ds.query(`INSERT INTO enrolment (referral_id, registration_id, patient_id, program_id, program_version_id, cohort_id, facilitator, start_date, withdrawal_reason, enrolled_by)
      VALUES ($1, $2, $3, $4, $5, $6, 'Practitioner/f1', '2026-03-02', $7, 'test') RETURNING id`, [ref.id, registrationId, p.id, pv.program_id, pv.id, cohortId, p.outcome === 'withdrawn' ? (p.withdrawalReason ?? null) : null]);
    for (const person of [p, ...caregivers]) {
      const ref = person.type === 'patient' ? `Patient/${person.id}` : `RelatedPerson/${person.id}`;
      const [part] = await ds.query(`INSERT INTO enrolment_participant (enrolment_id, registration_id, program_id, cohort_id, person, role) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [enr.id, registrationId, pv.program_id, cohortId, ref, person.type]);
      const sessions = JSON.parse(cohorts.get(`${p.cohort} sessions`)!) as string[];
      for (let i = 0; i < (person.attended ?? 0); i++) {
        await ds.query(`INSERT INTO attendance (session_id, participant_id, status, recorded_by) VALUES ($1, $2, 'attended', 'test')`, [sessions[i], part.id]);
      }
      const [subjectType, subjectId] = ref.split('/');
      const responses: string[] = [];
      for (const r of person.responses ?? []) {
        clock += 60_000;
        const items = Object.entries(r.items ?? {}).map(([linkId, rating]) => ({ linkId, answer: [{ valueCoding: SATISFACTION_CODE.get(`${linkId} ${rating}`) }] }));
        const [qr] = await ds.query(`INSERT INTO questionnaire_response (registration_id, questionnaire, questionnaire_url, subject_type, subject_id, patient_id, enrolment_id, timepoint, status, answer_mode, author, source, authored, resource, created_by, language)
          VALUES ($1, $2 || '|1.0.0', $2, $3, $4, $5, $6, $7, 'completed', $8, $9, $9, $10, $11::jsonb, 'test', $12) RETURNING id`,
          [registrationId, r.instrumentUrl, subjectType, subjectId, p.id, enr.id, r.timepoint, r.mode === 'proxy' ? 'proxy' : 'self', ref, new Date(clock), JSON.stringify({ resourceType: 'QuestionnaireResponse', status: 'completed', language: r.language ?? 'en', item: items.length ? [{ linkId: 'satisfaction-ratings', item: items }] : [] }), r.language ?? 'en']);
        responses.push(qr.id);
        // As the questionnaires module stores it: the satisfaction mean needs 3 of the 5 ratings, else a gap.
        const ratings = Object.values(r.items ?? {});
        const computed: Record<string, number | null> = ratings.length ? { 'satisfaction-mean': ratings.length >= 3 ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null } : {};
        for (const [linkId, value] of Object.entries({ ...(r.scores ?? {}), ...computed })) {
          await ds.query(`INSERT INTO questionnaire_score (response_id, response_version, registration_id, patient_id, subject_type, subject_id, enrolment_id, timepoint, answer_mode, instrument, instrument_url, link_id, code_system, code, value, unit, gap, authored, language)
            VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9 || '|1.0.0', $9, $10, 'urn:test', $10, $11, '{score}', $12, $13, $14)`,
            [qr.id, registrationId, p.id, subjectType, subjectId, enr.id, r.timepoint, r.mode === 'proxy' ? 'proxy' : 'self', r.instrumentUrl, linkId, value, value === null ? 'incomplete' : null, new Date(clock), r.language ?? 'en']);
        }
      }
      for (const tp of dueOf(person)) {
        for (const url of ctx.timepoints.find((t) => t.code === tp)?.instruments ?? []) {
          const done = (person.responses ?? []).some((r) => r.timepoint === tp && r.instrumentUrl === url);
          await ds.query(`INSERT INTO questionnaire_assignment (registration_id, enrolment_id, cohort_id, patient_id, subject_type, subject_id, questionnaire, questionnaire_url, timepoint, due_from, due_until, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7 || '|1.0.0', $7, $8, '2026-02-16', '2026-03-02', $9)`, [registrationId, enr.id, cohortId, p.id, subjectType, subjectId, url, tp, done ? 'completed' : 'due']);
        }
      }
      for (let i = 0; i < (person.alerts?.raised ?? 0); i++) {
        const followed = i < (person.alerts?.followedUp ?? 0);
        await ds.query(`INSERT INTO safety_alert (registration_id, response_id, patient_id, subject_type, subject_id, answer_mode, author, questionnaire, rule_id, severity, message, status, followed_up_at)
          VALUES ($1, $2, $3, $7, $8, 'self', $7 || '/' || $8, 'q', $4, 'urgent', 'synthetic', $5, $6)`, [registrationId, responses[0], p.id, `rule-${i + 1}-${randomUUID().slice(0, 4)}`, followed ? 'followed-up' : 'open', followed ? new Date(clock) : null, subjectType, subjectId]);
      }
    }
  }
  return cohorts;
}
