/**
 * The launch's `iss`, accepted only in canonical form: an absolute http(s) URL with no credentials, query or
 * fragment, that URL parsing leaves unchanged. `…/x/../../evil`, `%2e%2e` or backslashes would otherwise
 * match a registration by prefix and then be fetched somewhere else.
 */
export function canonicalIssuer(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  const trimmed = raw.trim().replace(/\/+$/, '');
  if (!URL.canParse(trimmed)) return null;
  const url = new URL(trimmed);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  if (url.href.replace(/\/+$/, '') !== trimmed) return null;
  if (/%2e|%2f|%5c/i.test(url.pathname)) return null;
  return trimmed;
}

/** Does a `…/*` registration cover this canonical issuer? Compared path segment by segment. */
export function wildcardCovers(registered: string, iss: string): boolean {
  if (!registered.endsWith('/*')) return false;
  const prefix = registered.slice(0, -1); // keeps the trailing '/'
  return iss.startsWith(prefix) && iss.length > prefix.length;
}
