// The clinician's note summary: what the program knows about one patient, put together from the programs' and the
// questionnaires' read models, and its plain-text form to paste into an EHR note. Pure: no framework, no database.

export interface ProgramLine {
  program: string;
  /** The journey state: referred, screened, accepted, declined, enrolled, active, completed, withdrawn. */
  status: string;
  referredAt: string;
  enrolled: boolean;
  /** Sessions the patient attended, of the sessions the program version plans (null before enrolment). */
  attendance: { attended: number; planned: number } | null;
}

export interface ScoreValue {
  value: number | null;
  band: string | null;
  date: string;
  timepoint: string | null;
}

export interface ScoreLine {
  instrument: string;
  score: string;
  latest: ScoreValue;
  /** The baseline timepoint's score, else the first one; null when the latest is the only one. */
  baseline: ScoreValue | null;
  /** latest − baseline, when both have a value. */
  change: number | null;
  /** Which way is better for this score, to read the change by. */
  direction: 'higher-is-better' | 'higher-is-worse' | null;
}

export interface AlertLine {
  message: string;
  severity: string;
  raisedAt: string;
  escalated: boolean;
}

export interface PatientSummary {
  patientId: string;
  generatedAt: string;
  programs: ProgramLine[];
  scores: ScoreLine[];
  openAlerts: AlertLine[];
}

/** A score row as the read model holds it (one per score item of a completed or amended response). */
export interface ScoreRow {
  instrumentUrl: string;
  linkId: string;
  value: number | null;
  timepoint: string | null;
  authored: string;
}

/** What is known about a score item from the instrument library: names, bands and direction. */
export interface ScoreMeta {
  instrument: string;
  score: string;
  bands: { display: string; max: number }[];
  direction: 'higher-is-better' | 'higher-is-worse' | null;
}

const bandOf = (meta: ScoreMeta | undefined, value: number | null): string | null =>
  value === null || !meta ? null : (meta.bands.find((b) => value <= b.max)?.display ?? null);

/**
 * The latest score of each instrument's score item, with its band and the change since baseline (the `baseline`
 * timepoint when there is one, else the earliest score). Rows in any order; series ordered as first seen by date.
 */
export function scoreLines(rows: ScoreRow[], metaOf: (instrumentUrl: string, linkId: string) => ScoreMeta | undefined): ScoreLine[] {
  const sorted = [...rows].sort((a, b) => a.authored.localeCompare(b.authored));
  const series = new Map<string, ScoreRow[]>();
  for (const r of sorted) {
    const key = `${r.instrumentUrl}#${r.linkId}`;
    series.set(key, [...(series.get(key) ?? []), r]);
  }
  return [...series.values()].map((points) => {
    const { instrumentUrl, linkId } = points[0];
    const meta = metaOf(instrumentUrl, linkId);
    const at = (r: ScoreRow): ScoreValue => ({ value: r.value, band: bandOf(meta, r.value), date: r.authored, timepoint: r.timepoint });
    const latest = points.at(-1)!;
    const base = points.find((p) => p.timepoint === 'baseline' && p !== latest) ?? (points[0] !== latest ? points[0] : undefined);
    const change = base && base.value !== null && latest.value !== null ? round(latest.value - base.value) : null;
    return {
      instrument: meta?.instrument ?? instrumentUrl,
      score: meta?.score ?? linkId,
      latest: at(latest),
      baseline: base ? at(base) : null,
      change,
      direction: meta?.direction ?? null,
    };
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
const day = (iso: string) => iso.slice(0, 10);
const num = (n: number | null) => (n === null ? 'not computable' : String(round(n)));
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function changeWords(s: ScoreLine): string {
  if (!s.baseline) return 'no earlier score';
  const since = s.baseline.timepoint === 'baseline' ? 'baseline' : 'first score';
  const was = `${num(s.baseline.value)}${s.baseline.band ? `, ${s.baseline.band}` : ''}, ${day(s.baseline.date)}`;
  if (s.change === null) return `${since} ${was}`;
  const better = s.change === 0 || !s.direction ? '' : (s.change > 0) === (s.direction === 'higher-is-better') ? ', better' : ', worse';
  return `${signed(s.change)} since ${since} (${was})${better}`;
}

/** The summary as short plain text for an EHR note: one line a fact, no patient name or identifier. */
export function summaryText(s: PatientSummary): string {
  const lines = [`ALS wellness program summary (${day(s.generatedAt)})`, ''];
  lines.push('Program status:');
  if (s.programs.length === 0) lines.push('- Not referred to a wellness program.');
  for (const p of s.programs) {
    const attendance = p.attendance ? `; attended ${p.attendance.attended} of ${p.attendance.planned} planned sessions` : '';
    lines.push(`- ${p.program}: ${p.status} (referred ${day(p.referredAt)})${attendance}.`);
  }
  lines.push('', 'Latest scores (change since baseline):');
  if (s.scores.length === 0) lines.push('- No completed questionnaire.');
  for (const sc of s.scores) {
    const name = sc.score && sc.score !== sc.instrument ? `${sc.instrument} ${sc.score}` : sc.instrument;
    lines.push(`- ${name}: ${num(sc.latest.value)}${sc.latest.band ? ` (${sc.latest.band})` : ''} on ${day(sc.latest.date)}; ${changeWords(sc)}.`);
  }
  lines.push('', `Open safety alerts: ${s.openAlerts.length === 0 ? 'none' : s.openAlerts.length}`);
  for (const a of s.openAlerts) lines.push(`- ${a.message} (${a.severity}, raised ${day(a.raisedAt)}${a.escalated ? ', escalated' : ''}).`);
  return `${lines.join('\n')}\n`;
}
