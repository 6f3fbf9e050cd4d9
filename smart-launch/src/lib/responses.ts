import type { Bundle, Coding, Parameters, Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { modeOf } from '../player/answer-mode';
import type { ResponseStore } from '../player/use-draft';
import { api, query } from './api';

// The questionnaire API (issue 5) as the screens need it: FHIR JSON in and out. Who answers goes in
// ?mode=, the due form in ?assignment=; every PUT names the version it replaces (If-Match), so two
// devices never overwrite each other's answers unnoticed.

export interface ScoreBand { code: string; display: string; min: number; max: number }
export interface ScoreDefinition {
  linkId: string;
  code: Coding;
  unit: string;
  min: number;
  max: number;
  direction: 'higher-is-worse' | 'higher-is-better';
  mcid?: number;
  bands: ScoreBand[];
  note?: string;
}
export interface QuestionnaireSummary {
  canonical: string;
  url: string;
  version: string;
  slug: string;
  name?: string;
  title?: string;
  status: string;
  origin: 'built-in' | 'imported';
  subjectType?: string[];
  scores: ScoreDefinition[];
  safetyRules: { id: string; severity: string }[];
}
export interface ScoreView { linkId: string; code: Coding; value: number | null; unit: string; band?: Coding; gap?: string }
export interface AlertView {
  id: string;
  responseId: string;
  patientId: string;
  /** `Patient/<id>`, or `RelatedPerson/<id>` when the alert is about a caregiver's own form. */
  subject: string;
  aboutCaregiver: boolean;
  answerMode: string;
  author: string;
  questionnaire: string;
  ruleId: string;
  severity: string;
  /** The rule's message with who it is about, how it was answered and whether it was submitted. */
  message: string;
  notYetSubmitted: boolean;
  responsible: string | null;
  status: string;
  raisedAt: string;
  escalated: boolean;
  escalatedAt: string | null;
  escalatedTo: string | null;
  followedUpAt: string | null;
  followUpAction: string | null;
  followUpNote: string | null;
}

export const alerts = {
  list: (params: { patient?: string; status?: string; escalated?: boolean }) =>
    api.get<AlertView[]>(`/api/alerts${query({ ...params, escalated: params.escalated === undefined ? undefined : String(params.escalated) })}`),
  followUp: (id: string, body: { action: string; note: string }) => api.post<AlertView>(`/api/alerts/${encodeURIComponent(id)}/follow-up`, body),
};
/**
 * What a save answers. `safetyMessage`: the clinic's crisis information when the answers trigger a crisis rule, in
 * the response's language when the clinic has a text in it; `safetyMessageLanguage`: the language it is written in;
 * `safetyMessages`: the same in each language the clinic has.
 */
export interface SaveView {
  resource: QuestionnaireResponse;
  version: number;
  scores: ScoreView[];
  alerts: AlertView[];
  safetyMessage?: string | null;
  safetyMessageLanguage?: string | null;
  /** The same information in every language the clinic has it in (English first): the screen shows its reader's. */
  safetyMessages?: { text: string; language: string }[];
}

export const questionnaires = {
  list: () => api.get<QuestionnaireSummary[]>('/api/questionnaires'),
  get: (id: string) => api.get<Questionnaire>(`/api/questionnaires/${encodeURIComponent(id)}`),
  import: (body: unknown) => api.post<QuestionnaireSummary>('/api/questionnaires', body),
  /** SDC $populate: a new response's answers pre-filled on the server from the EHR (nothing stored). */
  populate: (id: string, subject: string) =>
    api
      .post<Parameters>(`/api/questionnaires/${encodeURIComponent(id)}/$populate${query({ subject })}`, undefined)
      .then((p) => p.parameter?.find((x) => x.name === 'response')?.resource as QuestionnaireResponse | undefined),
};

export const responses = {
  get: (id: string) => api.get<QuestionnaireResponse>(`/api/questionnaire-responses/${encodeURIComponent(id)}`),
  search: (params: { patient?: string; status?: string; questionnaire?: string }) =>
    api.get<Bundle>(`/api/questionnaire-responses${query(params)}`).then((b) => (b.entry ?? []).map((e) => e.resource as QuestionnaireResponse)),
};

/**
 * Creates the draft once, then updates it. `onCreated` lets the page put the draft's id in the URL;
 * `last` keeps the server's answer to the latest save (scores and any safety alert it raised).
 */
export function apiStore(opts: { assignment?: string; onCreated(id: string): void }): Required<ResponseStore> & { last(): SaveView | undefined } {
  let last: SaveView | undefined;
  const write = async (qr: QuestionnaireResponse) => {
    const mode = modeOf(qr);
    const version = last?.version ?? (qr.meta?.versionId ? Number(qr.meta.versionId) : undefined);
    if (qr.id && version !== undefined) {
      last = await api.put<SaveView>(`/api/questionnaire-responses/${encodeURIComponent(qr.id)}${query({ mode })}`, qr, { 'If-Match': `W/"${version}"` });
    } else {
      last = await api.post<SaveView>(`/api/questionnaire-responses${query({ mode, assignment: opts.assignment })}`, qr);
      if (last.resource.id) opts.onCreated(last.resource.id);
    }
    return last.resource;
  };
  // Read again after a save elsewhere: the next save names the version read here (its meta.versionId), not the one
  // this screen saved last, which the server now refuses.
  const latest = async (id: string) => {
    const qr = await responses.get(id);
    last = undefined;
    return qr;
  };
  return { save: write, submit: write, latest, last: () => last };
}
