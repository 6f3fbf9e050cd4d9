// Our rows' ids are UUIDs. A lookup by an id from a request checks its shape first: anything else is simply not
// found (or a 400), and never reaches PostgreSQL as a bad cast (22P02, which a loose `[0-9a-f-]{36}` let through).

/** A whole string that is a UUID in its canonical 8-4-4-4-12 form (either case). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}
