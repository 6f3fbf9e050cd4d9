import { z } from 'zod';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ANSWER_MODES, RESPONSE_STATUSES, SUBJECT_REFERENCE } from '../questionnaire.vocabulary.js';
import { FHIR_ID } from '../../fhir/ids.js';
import { LANGUAGE_TAG } from '../engine/translations/translate.js';
import { readSentEncounter, type SentEncounter } from './encounter.rules.js';
import { counterOfEtag, weakEtag } from '../../common/http/etag.js';

/**
 * `?mode=` (how the answers were given; defaults per role, see answering.rules.ts) and `?assignment=` (the due
 * form this response answers: links it to the enrolment, timepoint and EHR Task). Query parameters rather
 * than extensions, so a client sends a plain QuestionnaireResponse.
 */
export const responseQuery = z
  .object({
    mode: z.enum(ANSWER_MODES).optional(),
    assignment: z
      .uuid('must be an assignment id')
      .optional()
      .meta({ description: 'The due form (questionnaire assignment id) this answers', example: 'c4a7e2d1-5f3b-4a9e-8c6d-0b1e2f3a4d5c' }),
  })
  .strict();
export type ResponseQuery = z.infer<typeof responseQuery>;

export const searchQuery = z
  .object({
    patient: z.string().regex(FHIR_ID, 'must be a Patient id').optional().meta({ example: 'pat-1042' }),
    status: z.enum(RESPONSE_STATUSES).optional(),
    questionnaire: z
      .string()
      .max(300)
      .optional()
      .meta({ description: 'url or url|version', example: 'https://als-wellness.example.org/fhir/Questionnaire/phq-9|1.0.0' }),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuery>;

/**
 * Documents the body of POST and PUT: a plain FHIR QuestionnaireResponse. The questionnaire engine validates
 * it (each issue located by linkId); this schema only shows its shape, with a synthetic example.
 */
export const questionnaireResponseBody = z
  .looseObject({
    resourceType: z.literal('QuestionnaireResponse'),
    questionnaire: z.string().meta({ description: 'The canonical url|version answered' }),
    status: z.enum(RESPONSE_STATUSES),
    language: z.string().meta({ description: 'The language the form was answered in (BCP-47): the form\'s own language or one it is completely translated into; the form\'s own language when omitted on a new response' }).optional(),
    subject: z.looseObject({ reference: z.string().regex(SUBJECT_REFERENCE) }).meta({ description: 'Patient/<id> or RelatedPerson/<id>; from the due form when omitted' }).optional(),
    encounter: z
      .looseObject({ reference: z.string() })
      .meta({ description: "Encounter/<id>: set by the server from the launch's encounter (same patient); when sent it must be that one (else 403), and a response's encounter never changes (400)" })
      .optional(),
    meta: z.looseObject({ versionId: z.string() }).meta({ description: 'The version last read (an alternative to If-Match on PUT)' }).optional(),
    item: z.array(z.looseObject({ linkId: z.string(), answer: z.array(z.looseObject({})).optional(), item: z.array(z.looseObject({})).optional() })).optional(),
  })
  .meta({
    description: 'A FHIR R4 QuestionnaireResponse naming questionnaire url|version, subject and status',
    example: {
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'https://als-wellness.example.org/fhir/Questionnaire/phq-9|1.0.0',
      status: 'in-progress',
      language: 'en',
      subject: { reference: 'Patient/pat-example-1' },
      item: [
        { linkId: 'phq9-1', answer: [{ valueCoding: { system: 'http://loinc.org', code: 'LA6569-3', display: 'Several days' } }] },
        { linkId: 'phq9-2', answer: [{ valueCoding: { system: 'http://loinc.org', code: 'LA6568-5', display: 'Not at all' } }] },
      ],
    },
  });

/** Who asks, for the services and the audit. */
export interface Caller {
  user: SessionUser;
  requestId: string | null;
}

/** What the server takes from a client's QuestionnaireResponse: everything else it sets itself. */
export interface ResponseInput {
  questionnaire: string | undefined;
  status: string | undefined;
  subject: string | undefined;
  items: unknown;
  /** meta.versionId, an alternative to If-Match. */
  versionId: string | undefined;
  /** QuestionnaireResponse.language, a BCP-47 tag as sent ('es-US'); undefined when absent. Whether the form has it is the writer's check. */
  language: string | undefined;
  /** QuestionnaireResponse.encounter as sent (shape checked); whether it may be recorded is encounter.rules.ts. */
  encounter: SentEncounter;
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
    language: responseLanguage(b.language),
    encounter: readSentEncounter(b.encounter),
  };
}

function responseLanguage(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 35 || !LANGUAGE_TAG.test(value)) throw invalid('language must be a BCP-47 language tag', 'QuestionnaireResponse.language');
  return value;
}

/** The version the client last saw: `If-Match: W/"3"` (or `"3"`, `3`), else the body's meta.versionId. */
export function expectedVersion(ifMatch: string | undefined, input: ResponseInput): number {
  const raw = ifMatch?.trim() ?? input.versionId;
  const version = raw === undefined ? undefined : counterOfEtag(raw);
  if (version === undefined) {
    const message = 'Send If-Match: W/"<version>" (the ETag you read) or meta.versionId, so no one else\'s save is overwritten.';
    throw new DomainError('QUESTIONNAIRES.VERSION_REQUIRED', message, [{ message, expression: 'QuestionnaireResponse.meta.versionId', code: 'required' }]);
  }
  return version;
}

export { weakEtag as etagOf };
