// Our ETags are weak validators over an opaque tag the server keeps or computes (a response's version, a session's
// revision, a digest of the rows a caller sees): `W/"3"`. Clients send them back in If-Match, one or a list (RFC 9110
// §13.1.1); `"3"` and a bare `3` are read too (some clients drop the W/ or the quotes). Every tag here is weak and
// compared as the same value, so `W/` is ignored.

const TAG = /^(?:W\/)?"([0-9a-z]{1,40})"$|^(\d{1,9})$/;

/** The tags of an If-Match value (`W/"3", W/"a1b2"` → ['3', 'a1b2']); undefined when any part is not one of ours. */
export function etagTags(raw: string): string[] | undefined {
  const parts = raw.split(',').map((part) => TAG.exec(part.trim()));
  if (parts.length > 20 || parts.some((m) => !m)) return undefined;
  return parts.map((m) => m![1] ?? m![2]);
}

/** One counter tag (`W/"3"`, `"3"`, `3` → 3); anything else (a list, a digest, text) → undefined. */
export function counterOfEtag(raw: string): number | undefined {
  const tags = etagTags(raw);
  return tags?.length === 1 && /^\d{1,9}$/.test(tags[0]) ? Number(tags[0]) : undefined;
}

export function weakEtag(tag: string | number): string {
  return `W/"${tag}"`;
}
