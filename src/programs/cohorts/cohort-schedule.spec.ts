import { lastSessionDate, planSessions } from './cohort-schedule.js';
import { addDays, instantOf, isoWithOffset, offsetMinutesAt, wallTimeAt } from './zoned-time.js';

const iso = (ms: number | Date) => new Date(ms).toISOString();

describe('zoned time (Intl only)', () => {
  it('reads offsets, including half-hour zones', () => {
    expect(offsetMinutesAt(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Paris')).toBe(60);
    expect(offsetMinutesAt(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Paris')).toBe(120);
    expect(offsetMinutesAt(Date.parse('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(offsetMinutesAt(Date.parse('2026-07-15T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('maps wall-clock times to instants and back', () => {
    const t = instantOf({ date: '2026-03-05', time: '18:00' }, 'America/New_York');
    expect(iso(t)).toBe('2026-03-05T23:00:00.000Z');
    expect(wallTimeAt(t, 'America/New_York')).toEqual({ date: '2026-03-05', time: '18:00' });
    expect(wallTimeAt(Date.parse('2026-03-05T23:30:00Z'), 'UTC')).toEqual({ date: '2026-03-05', time: '23:30' });
    expect(iso(instantOf({ date: '2026-01-01', time: '00:00' }, 'Asia/Kolkata'))).toBe('2025-12-31T18:30:00.000Z');
  });

  it('moves a time in the spring-forward gap forward by the gap (02:30 → 03:30)', () => {
    expect(iso(instantOf({ date: '2026-03-08', time: '02:30' }, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(instantOf({ date: '2026-03-29', time: '02:15' }, 'Europe/Paris'))).toBe('2026-03-29T01:15:00.000Z');
  });

  it('takes the first of a time that occurs twice at fall-back', () => {
    expect(iso(instantOf({ date: '2026-11-01', time: '01:30' }, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(instantOf({ date: '2026-10-25', time: '02:30' }, 'Europe/Paris'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('formats instants with the local offset and does calendar arithmetic across month and leap days', () => {
    expect(isoWithOffset(Date.parse('2026-03-12T22:00:00Z'), 'America/New_York')).toBe('2026-03-12T18:00:00-04:00');
    expect(isoWithOffset(Date.parse('2026-07-01T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-07-01T17:30:00+05:30');
    expect(isoWithOffset(Date.parse('2026-07-01T12:00:00Z'), 'UTC')).toBe('2026-07-01T12:00:00Z');
    expect(addDays('2028-02-26', 7)).toBe('2028-03-04');
    expect(addDays('2026-12-29', 7)).toBe('2027-01-05');
  });
});

describe('a cohort schedule', () => {
  const course = { sessionTime: '18:00', sessionCount: 8, cadenceDays: 7, sessionMinutes: 90 };

  it('keeps 18:00 local through the US daylight-saving week (the UTC hour moves)', () => {
    const s = planSessions({ ...course, startDate: '2026-02-26', timeZone: 'America/New_York' });
    expect(s.map((x) => x.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.map((x) => x.localDate)).toEqual(['2026-02-26', '2026-03-05', '2026-03-12', '2026-03-19', '2026-03-26', '2026-04-02', '2026-04-09', '2026-04-16']);
    expect(iso(s[1].startsAt)).toBe('2026-03-05T23:00:00.000Z'); // EST, UTC−5
    expect(iso(s[2].startsAt)).toBe('2026-03-12T22:00:00.000Z'); // EDT, UTC−4, after 8 March
    for (const x of s) {
      expect(wallTimeAt(x.startsAt.getTime(), 'America/New_York').time).toBe('18:00');
      expect(x.endsAt.getTime() - x.startsAt.getTime()).toBe(90 * 60_000);
    }
  });

  it('does the same in Europe, whose change is three weeks later, and in the southern hemisphere', () => {
    const paris = planSessions({ ...course, startDate: '2026-03-24', timeZone: 'Europe/Paris' });
    expect(iso(paris[0].startsAt)).toBe('2026-03-24T17:00:00.000Z');
    expect(iso(paris[1].startsAt)).toBe('2026-03-31T16:00:00.000Z');
    const sydney = planSessions({ ...course, startDate: '2026-03-31', timeZone: 'Australia/Sydney' });
    expect(iso(sydney[0].startsAt)).toBe('2026-03-31T07:00:00.000Z'); // AEDT, UTC+11
    expect(iso(sydney[1].startsAt)).toBe('2026-04-07T08:00:00.000Z'); // AEST, UTC+10, after 5 April
  });

  it('keeps a session that ends after the change the right length in real time', () => {
    const [s] = planSessions({ ...course, sessionTime: '01:00', sessionCount: 1, startDate: '2026-11-01', timeZone: 'America/New_York' });
    expect(iso(s.startsAt)).toBe('2026-11-01T05:00:00.000Z');
    expect(iso(s.endsAt)).toBe('2026-11-01T06:30:00.000Z'); // 90 real minutes, although the wall clock shows 01:30 EST
  });

  it('spaces individual sessions by their own cadence and knows the last date', () => {
    const s = planSessions({ sessionTime: '10:00', sessionCount: 6, cadenceDays: 14, sessionMinutes: 45, startDate: '2026-01-05', timeZone: 'UTC' });
    expect(s.map((x) => x.localDate)).toEqual(['2026-01-05', '2026-01-19', '2026-02-02', '2026-02-16', '2026-03-02', '2026-03-16']);
    expect(lastSessionDate({ startDate: '2026-01-05', sessionCount: 6, cadenceDays: 14 })).toBe('2026-03-16');
  });
});
