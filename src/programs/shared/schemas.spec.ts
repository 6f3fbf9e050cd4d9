import { isoDate, isoInstant, localTime, timeZone } from './schemas.js';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => schema.safeParse(v).success;

describe('request value formats', () => {
  it('takes dates as YYYY-MM-DD that exist', () => {
    expect(ok(isoDate, '2028-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', '04/05/2026', '2026-5-4', '2026-05-04T00:00:00Z', 20260504]) expect(ok(isoDate, bad)).toBe(false);
    expect(isoDate.safeParse('04/05/2026').error!.issues).toHaveLength(1);
  });

  it('takes date-times only with an offset', () => {
    for (const good of ['2026-05-04T18:00:00+02:00', '2026-05-04T18:00Z', '2026-05-04T18:00:00.250-04:00']) expect(ok(isoInstant, good)).toBe(true);
    for (const bad of ['2026-05-04T18:00:00', '2026-05-04 18:00:00Z', '2026-02-30T10:00:00Z', '2026-05-04T24:00:00Z', '2026-05-04T18:00:00+25:00']) expect(ok(isoInstant, bad)).toBe(false);
  });

  it('takes local times and IANA zones', () => {
    expect(ok(localTime, '18:00')).toBe(true);
    expect(ok(localTime, '6pm')).toBe(false);
    expect(ok(timeZone, 'America/New_York')).toBe(true);
    expect(ok(timeZone, 'UTC')).toBe(true);
    for (const bad of ['Mars/Olympus', 'EST', '+02:00', '']) expect(ok(timeZone, bad)).toBe(false);
  });
});
