import { addDays, availabilityOf, isCalendarDate, isOverdue, todayUtc } from './due-window.js';

describe('due windows', () => {
  it('adds and subtracts calendar days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-03-02', 14)).toBe('2026-03-16');
    expect(addDays('2026-03-02', -14)).toBe('2026-02-16');
    expect(addDays('2027-12-25', 10)).toBe('2028-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-02', 0)).toBe('2026-03-02');
  });

  it('refuses what is not a real date', () => {
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-3-2')).toBe(false);
    expect(() => addDays('yesterday', 1)).toThrow();
  });

  it('is overdue only while still open and after the last day of the window', () => {
    expect(isOverdue({ status: 'due', dueUntil: '2026-03-01' }, '2026-03-02')).toBe(true);
    expect(isOverdue({ status: 'in-progress', dueUntil: '2026-03-01' }, '2026-03-02')).toBe(true);
    expect(isOverdue({ status: 'due', dueUntil: '2026-03-02' }, '2026-03-02')).toBe(false);
    expect(isOverdue({ status: 'completed', dueUntil: '2026-03-01' }, '2026-03-02')).toBe(false);
    expect(isOverdue({ status: 'cancelled', dueUntil: '2026-03-01' }, '2026-03-02')).toBe(false);
    expect(todayUtc(new Date('2026-03-02T23:59:59Z'))).toBe('2026-03-02');
  });

  it('is open from the first day of its window on (also when overdue), not yet open before it, closed once done', () => {
    expect(availabilityOf({ status: 'due', dueFrom: '2026-03-03' }, '2026-03-02')).toBe('not-yet-open');
    expect(availabilityOf({ status: 'due', dueFrom: '2026-03-02' }, '2026-03-02')).toBe('open');
    expect(availabilityOf({ status: 'in-progress', dueFrom: '2026-01-01' }, '2026-03-02')).toBe('open');
    expect(availabilityOf({ status: 'completed', dueFrom: '2026-03-03' }, '2026-03-02')).toBe('closed');
    expect(availabilityOf({ status: 'cancelled', dueFrom: '2026-01-01' }, '2026-03-02')).toBe('closed');
  });
});
