import type { QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';
import { ANSWER_MODE_EXTENSION } from '../questionnaire.vocabulary.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { logicalRef, ref } from '../../fhir/references.js';
import type { Answering } from './answering.rules.js';
import { SDC_QR_PROFILE } from './response.fhir.js';

export interface ResponseShell {
  id: string;
  /** Exact `url|version`. */
  questionnaire: string;
  status: QuestionnaireResponse['status'];
  answering: Answering;
  authored: Date;
  enrolmentId: string | null;
  version: number;
  lastUpdated: Date;
  /** The client's items, as sent: the engine validates them. */
  items: unknown;
  /** The language the form was answered in. */
  language: string;
  /** `Encounter/<id>`: the visit it was answered in (encounter.rules.ts), or null. */
  encounter: string | null;
}

/**
 * The response as the server keeps and serves it: everything but the items is set here, so a client cannot
 * choose its author, source, time, id or links. basedOn is the enrolment's CarePlan (R4 allows CarePlan or
 * ServiceRequest only; the due form's Task points at the response through Task.output instead).
 */
export function responseDocument(s: ResponseShell): QuestionnaireResponse {
  const a = s.answering;
  return {
    resourceType: 'QuestionnaireResponse',
    id: s.id,
    meta: { versionId: String(s.version), lastUpdated: s.lastUpdated.toISOString(), profile: [SDC_QR_PROFILE] },
    language: s.language,
    extension: [{ url: ANSWER_MODE_EXTENSION, valueCode: a.mode }],
    ...(s.enrolmentId ? { basedOn: [logicalRef('CarePlan', writeBackIds.carePlan(s.enrolmentId))] } : {}),
    questionnaire: s.questionnaire,
    status: s.status,
    subject: ref(`${a.subjectType}/${a.subjectId}`),
    ...(s.encounter ? { encounter: ref(s.encounter) } : {}),
    authored: s.authored.toISOString(),
    author: ref(a.author),
    source: ref(a.source),
    item: s.items as QuestionnaireResponseItem[],
  };
}
