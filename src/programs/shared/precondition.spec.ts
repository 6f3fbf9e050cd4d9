import { assertRevision, ifMatchRevision, sessionEtag } from './precondition.js';

describe('If-Match for the programs API', () => {
  it.each([
    ['W/"3"', 3],
    ['"12"', 12],
    ['7', 7],
    [' W/"0" ', 0],
  ])('reads %s as revision %d', (header, revision) => expect(ifMatchRevision(header)).toBe(revision));

  it.each([undefined, '', '*'])('sets no precondition for %p', (header) => expect(ifMatchRevision(header)).toBeUndefined());

  it.each(['yesterday', 'W/"3", W/"4"', '"-1"', 'W/"1234567890"'])('refuses %p with a 400 code', (header) =>
    expect(() => ifMatchRevision(header)).toThrow(expect.objectContaining({ code: 'COMMON.VALIDATION' })),
  );

  it('refuses a revision the session has left, and nothing else', () => {
    expect(() => assertRevision(4, 3, 'This session')).toThrow(expect.objectContaining({ code: 'PROGRAMS.CHANGED' }));
    expect(() => assertRevision(4, 4, 'This session')).not.toThrow();
    expect(() => assertRevision(4, undefined, 'This session')).not.toThrow();
    expect(sessionEtag(4)).toBe('W/"4"');
  });
});
