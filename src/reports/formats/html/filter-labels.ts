// The report's filters as a reader says them ("Referred: 1 Jan 2026 – 30 Jun 2026"), not as the query spells them
// (`from = 2026-01-01`). The program is not among them: the title and the version line already name it.

/** "1 Jan 2026": a calendar date (YYYY-MM-DD) as written; not a moment, so no time zone applies. */
function readableDate(d: string): string {
  const date = new Date(`${d}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? d : date.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

/** "Spanish (es)"; the code alone when the runtime cannot name it. */
function languageName(code: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

const PARTICIPANTS: Record<string, string> = { patient: 'patients only', caregiver: 'caregivers only' };
const ANSWER_MODES: Record<string, string> = {
  self: 'given by the participants themselves',
  proxy: 'given for the participants by someone else (proxy)',
};

/**
 * One "Label: value" a filter, in a fixed order. `cohortName` is the filtered cohort's name when the report knows it
 * (the one cohort its retention figures list); otherwise the cohort is said to be one chosen cohort, with its id.
 */
export function filterLabels(filters: Record<string, string>, cohortName?: string): string[] {
  const { program: _program, version, cohort, from, to, participantType, answerMode, language, ...other } = filters;
  const out: string[] = [];
  if (version) out.push(`Program version: ${version} only`);
  if (cohort) out.push(`Cohort: ${cohortName ?? `one cohort (id ${cohort})`}`);
  if (from && to) out.push(`Referred: ${readableDate(from)} – ${readableDate(to)}`);
  else if (from) out.push(`Referred: from ${readableDate(from)}`);
  else if (to) out.push(`Referred: until ${readableDate(to)}`);
  if (participantType) out.push(`Participants: ${PARTICIPANTS[participantType] ?? participantType}`);
  // Both narrow the questionnaire figures only (the rest of the report counts everyone): said as one filter.
  const answers = [answerMode && (ANSWER_MODES[answerMode] ?? answerMode), language && `in ${languageName(language)}`].filter(Boolean);
  if (answers.length) out.push(`Questionnaire answers: only those ${answers.join(', ')}`);
  // A filter added later without a label here still shows, as it is spelled.
  for (const [k, v] of Object.entries(other)) out.push(`${k}: ${v}`);
  return out;
}
