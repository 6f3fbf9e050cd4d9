import type { Bundle } from 'fhir/r4.js';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { SignedIn } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

export interface OutboxRow {
  seq: string;
  patient_key: string;
  kind: string;
  bundle: Bundle;
}

/** Calls the API as one signed-in user: cookie on every call, CSRF on writes. */
export function apiAs(t: TestApp, who: SignedIn) {
  const server = () => t.app.getHttpServer();
  return {
    get: (path: string) => request(server()).get(path).set('Cookie', who.cookie),
    post: (path: string, body: unknown = {}) => request(server()).post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrf).send(body as object),
    put: (path: string, body: unknown) => request(server()).put(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrf).send(body as object),
    patch: (path: string, body: unknown) => request(server()).patch(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrf).send(body as object),
  };
}

/**
 * A fingerprint (row count and content hash) of every table the programs module writes, and of the outbox:
 * "nothing changed" is two fingerprints being equal.
 */
export async function footprint(t: TestApp): Promise<Record<string, string>> {
  const ds = t.app.get(DataSource);
  const tables = ['program', 'program_version', 'referral', 'cohort', 'program_session', 'enrolment', 'enrolment_participant', 'attendance', 'outbox_entry'];
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [r] = await ds.query(`SELECT count(*)::int AS n, md5(COALESCE(string_agg(x::text, '|' ORDER BY x.id), '')) AS h FROM ${table} x`);
    out[table] = `${r.n}:${r.h}`;
  }
  return out;
}

export async function outboxRows(t: TestApp): Promise<OutboxRow[]> {
  return t.app.get(DataSource).query(`SELECT seq, patient_key, kind, bundle FROM outbox_entry ORDER BY seq`);
}

/** `key kind: Type, Type, … ` per outbox entry (Provenance left out: every Bundle has exactly one). */
export function describeEntry(r: OutboxRow): string {
  const types = r.bundle.entry!.map((e) => e.resource!.resourceType);
  if (types.filter((x) => x === 'Provenance').length !== 1) throw new Error(`${r.kind} does not carry exactly one Provenance`);
  return `${r.patient_key} ${r.kind}: ${types.filter((x) => x !== 'Provenance').join(', ')}`;
}

export function isoDateDaysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
