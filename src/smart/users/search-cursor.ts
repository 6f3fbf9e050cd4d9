/**
 * Paging through an EHR search without ever following a URL a browser handed us: the EHR's `next` link is
 * kept only when it is a search of the same type on the same FHIR base, and only its query parameters travel
 * (base64url JSON) to the browser and back. A returned cursor is replayed as a search on the session's own
 * base, with the session's own token.
 */
export type SearchParams = Record<string, string | string[]>;

const KEY = /^[A-Za-z_][A-Za-z0-9_:.-]{0,63}$/;
const MAX_CURSOR = 4000;

/** The cursor for a `next` link, or null when there is none or it points anywhere but `{base}/{type}`. */
export function cursorFromNextLink(base: string, resourceType: string, next: string | undefined): string | null {
  if (!next) return null;
  let url: URL;
  let expected: URL;
  try {
    url = new URL(next, `${base.replace(/\/+$/, '')}/`);
    expected = new URL(`${base.replace(/\/+$/, '')}/${resourceType}`);
  } catch {
    return null;
  }
  if (url.origin !== expected.origin || url.pathname.replace(/\/+$/, '') !== expected.pathname) return null;
  const pairs = [...url.searchParams.entries()];
  if (!pairs.length || pairs.some(([k]) => !KEY.test(k))) return null;
  const cursor = Buffer.from(JSON.stringify(pairs)).toString('base64url');
  return cursor.length <= MAX_CURSOR ? cursor : null;
}

/** The search parameters a cursor stands for; null when it is not one of ours. */
export function paramsFromCursor(cursor: string): SearchParams | null {
  if (cursor.length > MAX_CURSOR || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  let pairs: unknown;
  try {
    pairs = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(pairs) || !pairs.length) return null;
  const out: SearchParams = {};
  for (const p of pairs) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string' || !KEY.test(p[0])) return null;
    const [k, v] = p as [string, string];
    const prev = out[k];
    out[k] = prev === undefined ? v : ([] as string[]).concat(prev, v);
  }
  return out;
}
