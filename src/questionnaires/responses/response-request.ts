import { z } from 'zod';
import { DomainError } from '../../common/errors/domain-error.js';
import { ANSWER_MODES, RESPONSE_STATUSES } from '../questionnaire.vocabulary.js';

/**
 * `?mode=` (how the answers were given; defaults per role, see answering.rules.ts) and `?assignment=` (the due
 * form this response answers: links it to the enrolment, timepoint and EHR Task). Query parameters rather
 * than extensions, so a client sends a plain QuestionnaireResponse.
 */
export const responseQuery = z
  .object({
    mode: z.enum(ANSWER_MODES).optional(),
    assignment: z.uuid('must be an assignment id').optional(),
  })
  .strict();
export type ResponseQuery = z.infer<typeof responseQuery>;

export const searchQuery = z
  .object({
    patient: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a Patient id').optional(),
    status: z.enum(RESPONSE_STATUSES).optional(),
    questionnaire: z.string().max(300).optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuery>;

/** What the server takes from a client's QuestionnaireResponse: everything else it sets itself. */
export interface ResponseInput {
  questionnaire: string | undefined;
  status: string | undefined;
  subject: string | undefined;
  items: unknown;
  /** meta.versionId, an alternative to If-Match. */
  versionId: string | undefined;
}

function invalid(message: string, expression: string): DomainError {
  return new DomainError('QUESTIONNAIRES.INVALID_RESPONSE', message, [{ message, expression, code: 'structure' }]);
}

export function readResponseBody(body: unknown): ResponseInput {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object' || Array.isArray(b) || b.resourceType !== 'QuestionnaireResponse') {
    throw invalid('Expected a FHIR QuestionnaireResponse', 'QuestionnaireResponse');
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const subject = b.subject as { reference?: unknown } | undefined;
  return {
    questionnaire: str(b.questionnaire),
    status: str(b.status),
    subject: str(subject?.reference),
    items: b.item,
    versionId: str((b.meta as { versionId?: unknown } | undefined)?.versionId),
  };
}

/** The version the client last saw: `If-Match: W/"3"` (or `"3"`, `3`), else the body's meta.versionId. */
export function expectedVersion(ifMatch: string | undefined, input: ResponseInput): number {
  const raw = ifMatch?.trim() ?? input.versionId;
  const m = raw === undefined ? null : /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw);
  if (!m) {
    const message = 'Send If-Match: W/"<version>" (the ETag you read) or meta.versionId, so no one else\'s save is overwritten.';
    throw new DomainError('QUESTIONNAIRES.VERSION_REQUIRED', message, [{ message, expression: 'QuestionnaireResponse.meta.versionId', code: 'required' }]);
  }
  return Number(m[1]);
}

export function etagOf(version: number): string {
  return `W/"${version}"`;
}
