import { isOutcome, issueText, type OperationOutcome } from './outcome';
import { observeServerDate } from './server-clock';

// Every call goes to our own origin with the HttpOnly session cookie; the browser never holds a token.
// State-changing calls carry the CSRF token that /api/context handed out.

let csrfToken = '';
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** A failed call: the HTTP status and the server's OperationOutcome (made up when the body was not one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
  ) {
    super(outcome.issue.map(issueText).join(' '));
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function request<T>(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return (await tagged<T>(method, path, body, headers)).data;
}

/** The answer and its ETag (for a later If-Match: the server refuses a change decided on an older read). */
export async function tagged<T>(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ data: T; etag: string | null }> {
  const h: Record<string, string> = { Accept: 'application/json, application/fhir+json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (method !== 'GET') h['X-CSRF-Token'] = csrfToken;
  let res: Response;
  const sentAt = Date.now();
  try {
    res = await fetch(path, { method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, outcome('The service is not answering. Check the connection and try again; nothing was lost.'));
  }
  observeServerDate(res.headers.get('Date'), sentAt, Date.now());
  const data = await parse(res);
  if (!res.ok) {
    if (isOutcome(data)) throw new ApiError(res.status, data);
    throw new ApiError(res.status, outcome(res.status === 401 ? 'Your session has ended. Please open the app again from your EHR.' : `The service answered ${res.status}.`));
  }
  return { data: data as T, etag: res.headers.get('ETag') };
}

export function outcome(diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics }] };
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown, headers?: Record<string, string>) => request<T>('PUT', path, body, headers),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
};

/** Builds a query string from the defined, non-empty values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
