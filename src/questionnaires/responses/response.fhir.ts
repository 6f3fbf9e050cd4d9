import type { Bundle, CodeableConcept, Observation, QuestionnaireResponse, Reference, Task } from 'fhir/r4.js';
import { SURVEY_CATEGORY } from '../engine/codes.js';
import type { ExtractedObservation } from '../engine/extraction.js';
import { referenceTo } from '../../fhir/business-identifier.js';
import { transactionBundle, type WriteBackEntry } from '../../fhir/write-back.fhir.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { ref } from '../../fhir/references.js';

export const SDC_QR_PROFILE = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse';
const DATA_ABSENT_REASON = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';

/** An Observation of an earlier version that the amended one no longer yields: its identifier key and code. */
export interface WithdrawnObservation {
  key: string;
  code: CodeableConcept;
  category?: CodeableConcept[];
}

export interface ResponseWrite {
  responseId: string;
  /** The stored response (server-set subject, author, source, authored, status, computed score items). */
  response: QuestionnaireResponse;
  patientId: string;
  /** What the Questionnaire's SDC extraction yields (engine/extraction.ts): one Observation each. */
  observations: ExtractedObservation[];
  /** Observations written for the earlier version that this one no longer yields (amendment only). */
  withdrawn?: WithdrawnObservation[];
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

/** The visit the response records (QuestionnaireResponse.encounter), carried by every Observation derived from it. */
function encounterOf(w: ResponseWrite): Pick<Observation, 'encounter'> {
  return w.response.encounter ? { encounter: w.response.encounter } : {};
}

/**
 * An extracted Observation as SDC's observation-based extraction fills it, with the module's choices where SDC
 * leaves room or R4 disagrees: performer is the response's source (whose answers, not who typed them), issued is
 * when the app recorded the submission, and a caregiver's own form is on the patient with the caregiver as focus.
 */
function extractedObservation(w: ResponseWrite, o: ExtractedObservation): Observation {
  return {
    resourceType: 'Observation',
    status: w.amendment ? 'amended' : 'final',
    category: o.category,
    code: o.code,
    ...subjectOf(w),
    ...encounterOf(w),
    effectiveDateTime: w.response.authored,
    issued: w.recorded,
    performer: [w.response.source as Reference],
    ...o.value,
    ...(o.interpretation ? { interpretation: o.interpretation } : {}),
    derivedFrom: [referenceTo(writeBackIds.response(w.responseId))],
  };
}

/**
 * An Observation whose score no longer exists after an amendment (e.g. an answer was cleared). A conditional
 * update replaces the earlier value, so it says why there is none (US Core us-core-2: a value or a
 * dataAbsentReason).
 */
function withdrawnObservation(w: ResponseWrite, o: WithdrawnObservation): Observation {
  return {
    resourceType: 'Observation',
    status: 'entered-in-error',
    category: o.category ?? [SURVEY_CATEGORY],
    code: o.code,
    ...subjectOf(w),
    ...encounterOf(w),
    effectiveDateTime: w.response.authored,
    dataAbsentReason: { coding: [{ system: DATA_ABSENT_REASON, code: 'unknown', display: 'Unknown' }], text: 'No score after the amendment' },
    derivedFrom: [referenceTo(writeBackIds.response(w.responseId))],
  };
}

/**
 * A completed or amended response as ONE transaction: the QuestionnaireResponse, an Observation per answer its
 * Questionnaire marks for SDC observation-based extraction (the scores of the built-ins; derivedFrom it), the due form's Task closed with the response as output, and a Provenance whose agent
 * is who typed the answers, on behalf of whose answers they are. First submission: conditional creates;
 * amendment: conditional updates of the same business identifiers (Observations `amended`).
 */
export function responseWriteBackBundle(w: ResponseWrite): Bundle {
  const mode: WriteBackEntry['mode'] = w.amendment ? 'update' : 'create';
  const entries: WriteBackEntry[] = [
    { resource: responseForEhr(w.response), businessIdentifier: writeBackIds.response(w.responseId), mode },
    ...w.observations.map((o) => ({ resource: extractedObservation(w, o), businessIdentifier: writeBackIds.score(w.responseId, o.key), mode })),
    ...(w.withdrawn ?? []).map((o) => ({
      resource: withdrawnObservation(w, o),
      businessIdentifier: writeBackIds.score(w.responseId, o.key),
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

/** The write-back queue's key for one version of a response: each version is written once. */
export function responseWriteKey(responseId: string, version: number): string {
  return `questionnaire-response:${responseId}:v${version}`;
}
