import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler answers; the host writes it (or an interception replaces it) in one place. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** Every FHIR failure is an OperationOutcome, as on a real server. */
export function outcome(status: number, code: string, text: string, headers?: Record<string, string>): Answer {
  return { status, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] }, headers };
}

/** RFC 6749 §5.2 error answers; never cached (RFC 6749 §5.1). */
export function oauth(status: number, body: Record<string, unknown>): Answer {
  return { status, body, headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', Pragma: 'no-cache' } };
}

export function json(body: unknown): Answer {
  return { status: 200, body, headers: { 'Content-Type': JSON_TYPE } };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The media type without parameters (`application/fhir+json; charset=utf-8` → `application/fhir+json`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export function send(res: ServerResponse, answer: Answer): void {
  const headers = { 'Content-Type': FHIR_JSON, ...answer.headers };
  res.writeHead(answer.status, headers);
  res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
}
