// Our ETags are weak validators over a counter the row keeps (a response's version, a session's revision):
// `W/"3"`. Clients send them back in If-Match; `"3"` and a bare `3` are read too (some clients drop the W/).

/** `W/"3"`, `"3"` or `3` → 3; anything else (a list, a strong tag of another form, text) → undefined. */
export function counterOfEtag(raw: string): number | undefined {
  const m = /^(?:W\/)?"(\d{1,9})"$|^(\d{1,9})$/.exec(raw.trim());
  return m ? Number(m[1] ?? m[2]) : undefined;
}

export function counterEtag(n: number): string {
  return `W/"${n}"`;
}
