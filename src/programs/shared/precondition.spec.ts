import { assertCurrent, attendanceTag, ifMatchTags, weakEtag } from './precondition.js';

describe('If-Match for the programs API', () => {
  it.each([
    ['W/"3"', ['3']],
    ['"12"', ['12']],
    ['7', ['7']],
    [' W/"0" ', ['0']],
    ['W/"3", W/"4"', ['3', '4']],
    ['W/"a0f3c2"', ['a0f3c2']],
  ])('reads %s as %j', (header, tags) => expect(ifMatchTags(header)).toEqual(tags));

  it.each([undefined, '', '*'])('sets no precondition for %p', (header) => expect(ifMatchTags(header)).toBeUndefined());

  it.each(['yesterday', '"4', 'W/"4', '4"', '"-1"', 'W/"3",', 'W/"A"', '1234567890'])('refuses %p with a 400 code', (header) =>
    expect(() => ifMatchTags(header)).toThrow(expect.objectContaining({ code: 'COMMON.VALIDATION' })),
  );

  it('refuses what is no longer current, and nothing else; the message names no tag', () => {
    expect(() => assertCurrent(4, ['3'], 'This session')).toThrow(expect.objectContaining({ code: 'PROGRAMS.CHANGED', message: expect.not.stringMatching(/W\/|"\d/) }));
    expect(() => assertCurrent(4, ['3', '4'], 'This session')).not.toThrow();
    expect(() => assertCurrent(4, undefined, 'This session')).not.toThrow();
    expect(weakEtag(4)).toBe('W/"4"');
  });

  it('tags the rows a caller sees: the same rows in any order give the same tag, any change another', () => {
    const at = new Date('2026-03-05T10:00:00Z');
    const a = { person: 'Patient/a', status: 'attended', recordedAt: at };
    const b = { person: 'RelatedPerson/b', status: 'excused', recordedAt: at };
    expect(attendanceTag([a, b])).toBe(attendanceTag([b, a]));
    expect(attendanceTag([a, b])).toMatch(/^a[0-9a-f]{24}$/);
    expect(attendanceTag([a, { ...b, status: 'absent' }])).not.toBe(attendanceTag([a, b]));
    expect(attendanceTag([a, { ...b, recordedAt: new Date(at.getTime() + 1) }])).not.toBe(attendanceTag([a, b]));
    expect(attendanceTag([a])).not.toBe(attendanceTag([a, b]));
    expect(ifMatchTags(weakEtag(attendanceTag([a])))).toEqual([attendanceTag([a])]);
  });
});
