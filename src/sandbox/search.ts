import { isFhirId } from '../common/fhir-id.js';
import { SandboxError } from './sandbox-errors.js';
import { parseFhirDate } from './fhir-date.js';
import { normalizeReference } from './resource-index.js';

export interface TokenValue {
  system?: string;
  value?: string;
}

export type DatePrefix = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** One condition of a search; alternatives inside a filter are ORed (comma), filters are ANDed (repeats). */
export type SearchFilter =
  | { kind: 'id'; ids: string[] }
  | { kind: 'token'; element: 'identifier' | 'code' | '_tag'; alternatives: TokenValue[] }
  | { kind: 'status'; values: string[] }
  | { kind: 'reference'; refs: string[] }
  | { kind: 'date'; prefix: DatePrefix; from: Date; to: Date }
  | { kind: 'name'; prefixes: string[] }
  | { kind: 'compartment'; patientRef: string };

export interface SearchQuery {
  type: string;
  filters: SearchFilter[];
  count: number;
  offset: number;
  sort: 'asc' | 'desc';
}

export type QueryParams = Record<string, unknown>;

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 500;
const IGNORED = new Set(['_format', '_pretty', '_total']);
/** Bare ids are read as this type; `focus` and `based-on` point at many types and need `Type/id`. */
const DEFAULT_TARGET: Record<string, string | undefined> = { patient: 'Patient', subject: 'Patient', encounter: 'Encounter' };

function invalid(message: string): SandboxError {
  return new SandboxError('SANDBOX.INVALID_SEARCH', message);
}

function token(value: string): TokenValue {
  const bar = value.indexOf('|');
  if (bar < 0) return { value };
  const system = value.slice(0, bar);
  const rest = value.slice(bar + 1);
  return { ...(system ? { system } : {}), ...(rest ? { value: rest } : {}) };
}

function reference(param: string, value: string, issuer: string): string {
  const ref = normalizeReference(value, issuer) ?? (DEFAULT_TARGET[param] && isFhirId(value) ? `${DEFAULT_TARGET[param]}/${value}` : undefined);
  if (!ref) throw invalid(`'${param}' needs a reference such as Type/id.`);
  return `${param}=${ref}`;
}

function date(value: string): SearchFilter {
  const m = /^(eq|ne|gt|ge|lt|le)?(.*)$/.exec(value)!;
  const range = parseFhirDate(m[2]);
  if (!range) throw invalid(`'date' must be a FHIR date with an optional prefix (eq, ne, gt, ge, lt, le).`);
  return { kind: 'date', prefix: (m[1] as DatePrefix | undefined) ?? 'eq', ...range };
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodePageToken(tokenValue: string): number {
  try {
    const o = (JSON.parse(Buffer.from(tokenValue, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through: not ours
  }
  throw invalid('The page token is not valid.');
}

/** Turns query parameters into a search; an unsupported parameter is a 400, as strict handling asks. */
export function parseSearch(type: string, params: QueryParams, issuer: string): SearchQuery {
  const q: SearchQuery = { type, filters: [], count: DEFAULT_COUNT, offset: 0, sort: 'asc' };
  for (const [name, raw] of Object.entries(params)) {
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined);
    if (values.some((v) => typeof v !== 'string')) throw invalid(`'${name}' is malformed.`);
    for (const value of values as string[]) {
      const alternatives = value.split(',').filter(Boolean);
      if (!alternatives.length && !IGNORED.has(name)) throw invalid(`'${name}' needs a value.`);
      switch (name) {
        case '_id':
          q.filters.push({ kind: 'id', ids: alternatives });
          break;
        case 'identifier':
        case 'code':
        case '_tag':
          q.filters.push({ kind: 'token', element: name, alternatives: alternatives.map(token) });
          break;
        case 'status':
          q.filters.push({ kind: 'status', values: alternatives });
          break;
        case 'subject':
        case 'patient':
        case 'focus':
        case 'based-on':
        case 'encounter':
          q.filters.push({ kind: 'reference', refs: alternatives.map((v) => reference(name, v, issuer)) });
          break;
        case 'name':
          // FHIR string search on a HumanName: only the person types have one.
          if (!['Patient', 'Practitioner', 'RelatedPerson'].includes(type)) throw invalid(`The search parameter 'name' is not supported for ${type}.`);
          // Case-insensitive, matching the start of any part of a HumanName.
          q.filters.push({ kind: 'name', prefixes: alternatives.map((a) => a.trim().toLowerCase()).filter(Boolean) });
          break;
        case 'date':
          q.filters.push(date(value));
          break;
        case '_count': {
          const n = Number(value);
          if (!Number.isInteger(n) || n < 0) throw invalid(`'_count' must be a whole number.`);
          q.count = Math.min(n, MAX_COUNT);
          break;
        }
        case '_page':
          q.offset = decodePageToken(value);
          break;
        case '_sort':
          if (value !== '_lastUpdated' && value !== '-_lastUpdated') throw invalid(`'_sort' supports _lastUpdated and -_lastUpdated.`);
          q.sort = value.startsWith('-') ? 'desc' : 'asc';
          break;
        default:
          if (!IGNORED.has(name)) throw invalid(`The search parameter '${name}' is not supported by the sandbox.`);
      }
    }
  }
  return q;
}
