import type { Bundle, QuestionnaireResponse as FhirQuestionnaireResponse } from 'fhir/r4.js';
import type { AlertView } from '../safety/alert-views.js';
import type { CrisisMessage } from '../safety/crisis-message.js';
import type { QuestionnaireResponse } from './questionnaire-response.entity.js';
import type { ScoreView } from './score-rows.js';

/**
 * What POST and PUT answer: the stored FHIR QuestionnaireResponse (scores computed into its hidden score items),
 * its version (also the ETag), the scores, the safety alerts this save raised or left open, so the clinician sees
 * them at once, and `safetyMessage`: the clinic's crisis information whenever the answers trigger a crisis rule
 * (PHQ-9 item 9 > 0), on a draft save as on a submission, for every role, in the response's language when the
 * clinic has a text in it (Spanish: SAFETY_CRISIS_MESSAGE_ES or its built-in default), else English;
 * `safetyMessageLanguage` names the text's language (`en`, `es`) so a screen can mark it. Both null otherwise.
 * `safetyMessages`: the same information in every language the clinic has a text in (English first; Spanish unless
 * the clinic wrote its own English text and no Spanish one), so the screen shows its reader's language, which need
 * not be the form's; empty when there is no crisis.
 */
export interface SaveView {
  resource: FhirQuestionnaireResponse;
  version: number;
  scores: ScoreView[];
  alerts: AlertView[];
  safetyMessage: string | null;
  safetyMessageLanguage: CrisisMessage['language'] | null;
  safetyMessages: CrisisMessage[];
}

export function saveView(row: QuestionnaireResponse, scores: ScoreView[], alerts: AlertView[], safety: CrisisMessage | null, safetyMessages: CrisisMessage[] = []): SaveView {
  return { resource: row.resource, version: row.version, scores, alerts, safetyMessage: safety?.text ?? null, safetyMessageLanguage: safety?.language ?? null, safetyMessages };
}

/** A FHIR searchset of the responses found (the resources as stored: ids, versions, computed scores). */
export function searchsetOf(rows: QuestionnaireResponse[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: rows.length,
    entry: rows.map((r) => ({ fullUrl: `urn:uuid:${r.id}`, resource: r.resource, search: { mode: 'match' } })),
  };
}
