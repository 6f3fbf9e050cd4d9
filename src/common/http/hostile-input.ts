import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, type IssueDetail } from '../errors/domain-error.js';

/**
 * Characters no request may carry into the service: PostgreSQL refuses NUL in text and jsonb, and an unpaired
 * UTF-16 surrogate cannot be stored as UTF-8 (jsonb refuses its escape). Checked once, here, for every route:
 * the decoded path, the query, and every string and property name of a parsed body.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Deeper JSON than any form or resource needs; recursive code downstream (validation, FHIRPath) stays safe. */
export const MAX_BODY_DEPTH = 64;
const MAX_ISSUES = 10;
const SAFE_NAME = /^[A-Za-z0-9_.:/-]{1,64}$/;
const PLAIN_URL = /^[\x21-\x24\x26-\x7e]*$/;

function problemOf(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

function refuse(issues: IssueDetail[]): DomainError {
  return new DomainError('COMMON.VALIDATION', 'The request contains characters the service does not accept.', issues.slice(0, MAX_ISSUES));
}

/** Percent-decodes to bytes, leaving a `%` that starts no escape as it is (`100%` stays readable). */
function percentBytes(s: string, plusIsSpace: boolean): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const hex = c === 0x25 ? s.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (plusIsSpace && c === 0x2b) out.push(0x20);
    else if (c < 0x100) out.push(c); // Node hands raw request-line bytes over as latin1 characters
    else out.push(...Buffer.from(s[i], 'utf8'));
  }
  return Buffer.from(out);
}

/** The text of a URL part, or the reason it is refused: not UTF-8 once decoded, or a refused character. */
function decodeUrlPart(raw: string, plusIsSpace: boolean): { text: string } | { problem: string } {
  const bytes = percentBytes(raw, plusIsSpace);
  if (!isUtf8(bytes)) return { problem: 'is not valid UTF-8 once percent-decoded' };
  const text = bytes.toString('utf8');
  const problem = problemOf(text);
  return problem ? { problem } : { text };
}

/** Refuses (400) a request whose decoded path or query carries a refused character or is not UTF-8. */
export function rejectHostileUrl() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const url = req.originalUrl ?? req.url ?? '';
    // Printable ASCII without a `%`: nothing to decode, nothing refusable (Node's parser refuses raw control bytes).
    if (PLAIN_URL.test(url)) return next();
    const q = url.indexOf('?');
    const issues: IssueDetail[] = [];
    const segments = (q < 0 ? url : url.slice(0, q)).split('/');
    segments.forEach((segment, i) => {
      const d = decodeUrlPart(segment, false);
      if ('problem' in d) issues.push({ message: `path segment ${i}: ${d.problem}`, expression: 'path' });
    });
    for (const pair of q < 0 ? [] : url.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      const key = decodeUrlPart(eq < 0 ? pair : pair.slice(0, eq), true);
      const value = eq < 0 ? { text: '' } : decodeUrlPart(pair.slice(eq + 1), true);
      const name = 'text' in key && SAFE_NAME.test(key.text) ? key.text : 'query';
      if ('problem' in key) issues.push({ message: `query parameter name ${key.problem}`, expression: 'query' });
      else if ('problem' in value) issues.push({ message: `${name}: ${value.problem}`, expression: name });
    }
    next(issues.length ? refuse(issues) : undefined);
  };
}

/**
 * body-parser's `verify`: a body declared (or defaulted to) UTF-8 must be valid UTF-8; otherwise the decoder would
 * silently turn the bad bytes (a CESU-8 surrogate, a latin1 letter) into U+FFFD and store them.
 */
export function verifyUtf8(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw refuse([{ message: 'body: is not valid UTF-8', expression: 'body' }]);
  }
}

/** JSON bodies the byte scan found free of refused characters: rejectHostileBody need not walk them. */
const SCANNED_CLEAN = new WeakSet<IncomingMessage>();

const hex = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66));

/**
 * One pass over a JSON body's bytes, before it is parsed: how deep its arrays and objects nest (stopping at the
 * first level past MAX_BODY_DEPTH), and whether any string carries a `\u` escape of NUL or of a surrogate.
 * In valid UTF-8 (checked first) that escape is the only way such a character reaches a parsed string: a raw NUL
 * or control character inside a JSON string is a syntax error, and UTF-8 has no encoding of a lone surrogate.
 * Hand-written because no parser offers a depth limit: JSON.parse of 1 MB of `[` takes a quarter of a second
 * here before the walk could refuse it; this scan refuses it in about a millisecond.
 */
export function scanJsonBytes(body: Buffer): { tooDeep: boolean; refusable: boolean } {
  let depth = 0;
  let inString = false;
  let refusable = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (inString) {
      if (b === 0x22) inString = false;
      else if (b === 0x5c) {
        if (body[i + 1] === 0x75 && !refusable) {
          const [h1, h2, h3, h4] = [body[i + 2], body[i + 3], body[i + 4], body[i + 5]];
          const nul = h1 === 0x30 && h2 === 0x30 && h3 === 0x30 && h4 === 0x30;
          const surrogate = (h1 === 0x44 || h1 === 0x64) && hex(h2) && ((h2! | 0x20) >= 0x61 || h2 === 0x38 || h2 === 0x39);
          if (nul || surrogate) refusable = true;
        }
        i++; // the escaped character (a `"` or `\` among them) ends nothing
      }
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > MAX_BODY_DEPTH) return { tooDeep: true, refusable };
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return { tooDeep: false, refusable };
}

/**
 * `verify` of the JSON parser: valid UTF-8 (verifyUtf8), then the byte scan: a body nested too deeply is refused
 * before JSON.parse sees it, and one with no refusable escape is marked so rejectHostileBody skips its walk (which
 * costs about twice the parse itself on a PHQ-9 response).
 */
export function verifyJson(req: IncomingMessage, res: ServerResponse, body: Buffer, encoding: string): void {
  verifyUtf8(req, res, body, encoding);
  if (!/^utf-?8$/i.test(encoding)) return; // another charset (UTF-16): the walk after parsing checks everything
  const scan = scanJsonBytes(body);
  if (scan.tooDeep) throw refuse([{ message: `body: nested deeper than ${MAX_BODY_DEPTH} levels`, expression: 'body' }]);
  if (!scan.refusable) SCANNED_CLEAN.add(req);
}

/** `item.where(linkId='x')` for a FHIR item, else `name[n]`: where in the body a refused value sits. */
function childPath(parent: string, key: string | number, value: unknown): string {
  if (typeof key === 'number') {
    const linkId = value && typeof value === 'object' ? (value as { linkId?: unknown }).linkId : undefined;
    return typeof linkId === 'string' && SAFE_NAME.test(linkId) ? `${parent}.where(linkId='${linkId}')` : `${parent}[${key}]`;
  }
  if (!SAFE_NAME.test(key)) return `${parent}[${JSON.stringify([...key].slice(0, 40).join(''))}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Every refused string or property name in a parsed JSON (or form) body, named by its path; iterative, depth-capped. */
export function hostileBodyIssues(body: unknown): IssueDetail[] {
  const resourceType = body && typeof body === 'object' ? (body as { resourceType?: unknown }).resourceType : undefined;
  const root = typeof resourceType === 'string' && /^[A-Z][A-Za-z]{0,63}$/.test(resourceType) ? resourceType : '';
  const issues: IssueDetail[] = [];
  // A value's path is built only when it is needed (an object's, for its children; a string's, when refused), and
  // numbers, booleans and null are never stacked: a 1 MB array of numbers took 91 ms with a path for each, 6 ms now.
  const stack: { value: unknown; parent: string; key: string | number | undefined; depth: number }[] = [{ value: body, parent: root, key: undefined, depth: 0 }];
  const pathOf = (e: (typeof stack)[number]) => (e.key === undefined ? e.parent : childPath(e.parent, e.key, e.value));
  while (stack.length && issues.length < MAX_ISSUES) {
    const entry = stack.pop()!;
    const { value, depth } = entry;
    if (typeof value === 'string') {
      const problem = problemOf(value);
      if (problem) {
        const at = pathOf(entry) || 'body';
        issues.push({ message: `${at}: ${problem}`, expression: at });
      }
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    const path = pathOf(entry);
    const at = path || 'body';
    if (depth >= MAX_BODY_DEPTH) {
      issues.push({ message: `${at}: nested deeper than ${MAX_BODY_DEPTH} levels`, expression: at });
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const child: unknown = value[i];
        if (typeof child === 'string' || (child && typeof child === 'object')) stack.push({ value: child, parent: path, key: i, depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const problem = problemOf(key);
      if (problem) {
        issues.push({ message: `${at}: a property name ${problem}`, expression: at });
        continue;
      }
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'string' || (child && typeof child === 'object')) stack.push({ value: child, parent: path, key, depth: depth + 1 });
    }
  }
  return issues;
}

/** Refuses (400) a parsed body carrying a refused character or nested too deeply; runs after the body parsers. */
export function rejectHostileBody() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const issues = req.body === undefined || SCANNED_CLEAN.has(req) ? [] : hostileBodyIssues(req.body);
    next(issues.length ? refuse(issues) : undefined);
  };
}
