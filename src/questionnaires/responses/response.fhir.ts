import type { Bundle, Coding, Observation, QuestionnaireResponse, Reference, Task } from 'fhir/r4.js';
import { referenceTo } from '../../fhir/business-identifier.js';
import { transactionBundle, type WriteBackEntry } from '../../fhir/write-back.fhir.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { ref } from '../../fhir/references.js';

export const SDC_QR_PROFILE = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const DATA_ABSENT_REASON = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
const UCUM = 'http://unitsofmeasure.org';
/** US Core's screening-assessment category: every score is a survey Observation. */
const survey = () => ({ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] });

/** One computed score, as the Observation needs it. */
export interface ScoreForWrite {
  linkId: string;
  code: Coding;
  value: number;
  unit: string;
  /** The score item's type: integer scores become valueInteger, decimal ones valueQuantity. */
  valueType: 'integer' | 'decimal';
  band?: Coding;
}

export interface ResponseWrite {
  responseId: string;
  /** The stored response (server-set subject, author, source, authored, status, computed score items). */
  response: QuestionnaireResponse;
  patientId: string;
  scores: ScoreForWrite[];
  /** Score linkIds written for an earlier version that have no value any more (amendment only). */
  withdrawnScores?: { linkId: string; code: Coding }[];
  amendment: boolean;
  /** The due form's Task, closed by this response (first submission only), built by questionnaireTask(). */
  completedTask?: { assignmentId: string; task: Task };
  /** When the app recorded it: Provenance.recorded and Observation.issued. */
  recorded: string;
}

/**
 * What the EHR receives of a stored response: no local id, versionId or lastUpdated; the SDC profile. US Core
 * QuestionnaireResponse's must-support elements are always known here (the server sets them, see
 * response-document.ts): a response without them is a programming error, never sent half-described.
 */
export function responseForEhr(r: QuestionnaireResponse): QuestionnaireResponse {
  const { id: _id, meta: _meta, resourceType, ...rest } = r;
  if (!/^[^|]+\|[^|]+$/.test(r.questionnaire ?? '')) throw new Error('QuestionnaireResponse.questionnaire must be a canonical url|version');
  if (!r.subject || !r.authored || !r.author) throw new Error('QuestionnaireResponse needs subject, authored and author (US Core must-support)');
  return { resourceType, meta: { profile: [SDC_QR_PROFILE] }, ...rest };
}

/** The patient of record an Observation is about; a caregiver's own form is its `focus` (R4 subject is Patient|Group…). */
function subjectOf(w: ResponseWrite): Pick<Observation, 'subject' | 'focus'> {
  const subject = w.response.subject as Reference;
  const patient = ref(`Patient/${w.patientId}`);
  return subject.reference === patient.reference ? { subject: patient } : { subject: patient, focus: [subject] };
}

function scoreObservation(w: ResponseWrite, s: ScoreForWrite): Observation {
  const value: Partial<Observation> =
    s.valueType === 'integer' && Number.isInteger(s.value)
      ? { valueInteger: s.value }
      : { valueQuantity: { value: s.value, unit: s.unit, system: UCUM, code: s.unit } };
  return {
    resourceType: 'Observation',
    status: w.amendment ? 'amended' : 'final',
    category: [survey()],
    code: { coding: [s.code], ...(s.code.display ? { text: s.code.display } : {}) },
    ...subjectOf(w),
    effectiveDateTime: w.response.authored,
    issued: w.recorded,
    performer: [w.response.source as Reference],
    ...value,
    ...(s.band ? { interpretation: [{ coding: [s.band], ...(s.band.display ? { text: s.band.display } : {}) }] } : {}),
    derivedFrom: [referenceTo(writeBackIds.response(w.responseId))],
  };
}

/**
 * An Observation whose score no longer exists after an amendment (e.g. an answer was cleared). A conditional
 * update replaces the earlier value, so it says why there is none (US Core us-core-2: a value or a
 * dataAbsentReason).
 */
function withdrawnObservation(w: ResponseWrite, code: Coding): Observation {
  return {
    resourceType: 'Observation',
    status: 'entered-in-error',
    category: [survey()],
    code: { coding: [code] },
    ...subjectOf(w),
    effectiveDateTime: w.response.authored,
    dataAbsentReason: { coding: [{ system: DATA_ABSENT_REASON, code: 'unknown', display: 'Unknown' }], text: 'No score after the amendment' },
    derivedFrom: [referenceTo(writeBackIds.response(w.responseId))],
  };
}

/**
 * A completed or amended response as ONE transaction: the QuestionnaireResponse, an Observation per computed
 * score (derivedFrom it), the due form's Task closed with the response as output, and a Provenance whose agent
 * is who typed the answers, on behalf of whose answers they are. First submission: conditional creates;
 * amendment: conditional updates of the same business identifiers (Observations `amended`).
 */
export function responseWriteBackBundle(w: ResponseWrite): Bundle {
  const mode: WriteBackEntry['mode'] = w.amendment ? 'update' : 'create';
  const entries: WriteBackEntry[] = [
    { resource: responseForEhr(w.response), businessIdentifier: writeBackIds.response(w.responseId), mode },
    ...w.scores.map((s) => ({ resource: scoreObservation(w, s), businessIdentifier: writeBackIds.score(w.responseId, s.linkId), mode })),
    ...(w.withdrawnScores ?? []).map((s) => ({
      resource: withdrawnObservation(w, s.code),
      businessIdentifier: writeBackIds.score(w.responseId, s.linkId),
      mode: 'update' as const,
    })),
  ];
  if (w.completedTask) {
    entries.push({ resource: w.completedTask.task, businessIdentifier: writeBackIds.assignmentTask(w.completedTask.assignmentId), mode: 'update' });
  }
  const author = w.response.author as Reference;
  const source = w.response.source as Reference;
  return transactionBundle(entries, {
    agent: author,
    ...(source.reference !== author.reference ? { onBehalfOf: source } : {}),
    recorded: w.recorded,
  });
}
