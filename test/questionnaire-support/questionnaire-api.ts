import type { Bundle, QuestionnaireResponse } from 'fhir/r4.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PHQ9_ITEM_IDS, phq9 } from '../../src/questionnaires/engine/instruments/phq9.js';
import { buildResponse, type AnswerInput } from '../../src/questionnaires/engine/response-builder.js';
import type { SignedIn } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

export const PHQ9 = `${phq9.questionnaire.url}|${phq9.questionnaire.version}`;
const FHIR_JSON = 'application/fhir+json';

/** supertest bound to one signed-in person: cookie, CSRF token and FHIR JSON bodies. */
export function as(t: TestApp, s: SignedIn) {
  const server = t.app.getHttpServer();
  const send = (r: request.Test, body: unknown) => r.set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).set('Content-Type', FHIR_JSON).send(JSON.stringify(body));
  return {
    get: (path: string) => request(server).get(path).set('Cookie', s.cookie),
    post: (path: string, body: unknown) => send(request(server).post(path), body),
    put: (path: string, body: unknown, ifMatch?: string) => {
      const r = request(server).put(path);
      return send(ifMatch ? r.set('If-Match', ifMatch) : r, body);
    },
  };
}

/** PHQ-9 answers: every problem item at `weight`, item 9 at `item9` (weights are 0–3). */
export function phqAnswers(weight: number, item9 = weight): Record<string, AnswerInput> {
  return Object.fromEntries(PHQ9_ITEM_IDS.map((id) => [id, id === 'phq9-9' ? item9 : weight]));
}

export function phqResponse(subject: string, answers: Record<string, AnswerInput>, status: QuestionnaireResponse['status'] = 'completed'): QuestionnaireResponse {
  return buildResponse(phq9, answers, { status, subject: { reference: subject } });
}

const TABLES = ['questionnaire_response', 'questionnaire_response_version', 'questionnaire_score', 'safety_alert', 'questionnaire_assignment', 'outbox_entry'];

/** Row counts of every table a response could touch: "stores nothing" means these do not move. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const ds = t.app.get(DataSource);
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return out;
}

/** The outbox Bundles of one kind (optionally only those mentioning `text`), oldest first. */
export async function outboxBundles(t: TestApp, kind: string, text?: string): Promise<Bundle[]> {
  const rows: { bundle: Bundle }[] = await t.app.get(DataSource).query(
    `SELECT bundle FROM outbox_entry WHERE kind = $1 AND ($2::text IS NULL OR bundle::text LIKE '%' || $2 || '%') ORDER BY seq`,
    [kind, text ?? null],
  );
  return rows.map((r) => r.bundle);
}

export function resourcesOf<T>(b: Bundle, type: string): T[] {
  return (b.entry ?? []).filter((e) => e.resource?.resourceType === type).map((e) => e.resource as T);
}

export async function auditActions(t: TestApp, resourceId: string): Promise<string[]> {
  const rows: { action: string }[] = await t.app.get(DataSource).query(`SELECT action FROM audit_event WHERE resource_id = $1 ORDER BY occurred_at`, [resourceId]);
  return rows.map((r) => r.action);
}
