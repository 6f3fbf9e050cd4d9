import type { Questionnaire } from 'fhir/r4.js';

// Canonical references to one Questionnaire version, as QuestionnaireResponse.questionnaire carries them.

/** `url|version`, the form QuestionnaireResponse.questionnaire must carry. */
export function canonicalOf(questionnaire: Questionnaire): string {
  return `${questionnaire.url}|${questionnaire.version}`;
}

/** Splits `url|version` (version optional). */
export function parseCanonical(canonical: string): { url: string; version?: string } {
  const bar = canonical.indexOf('|');
  return bar < 0 ? { url: canonical } : { url: canonical.slice(0, bar), version: canonical.slice(bar + 1) };
}

/** Compares dotted versions numerically where both parts are numbers (1.10.0 > 1.9.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i] ?? '0', pb[i] ?? '0'];
    const diff = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
