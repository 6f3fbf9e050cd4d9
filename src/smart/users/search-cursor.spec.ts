import { cursorFromNextLink, paramsFromCursor } from './search-cursor.js';

const BASE = 'https://ehr.example/fhir';

describe('search cursors', () => {
  it('carries the query of a next link on the same base and type, and nothing else', () => {
    const c = cursorFromNextLink(BASE, 'Practitioner', `${BASE}/Practitioner?name=rob&_count=2&_page=abc`);
    expect(paramsFromCursor(c!)).toEqual({ name: 'rob', _count: '2', _page: 'abc' });
  });

  it('reads a relative next link against the base', () => {
    expect(paramsFromCursor(cursorFromNextLink(BASE, 'Practitioner', 'Practitioner?_getpages=x&_offset=20')!)).toEqual({ _getpages: 'x', _offset: '20' });
  });

  it('drops a next link to another server, another path or another type', () => {
    expect(cursorFromNextLink(BASE, 'Practitioner', 'https://evil.example/fhir/Practitioner?x=1')).toBeNull();
    expect(cursorFromNextLink(BASE, 'Practitioner', `${BASE}/Patient?x=1`)).toBeNull();
    expect(cursorFromNextLink(BASE, 'Practitioner', 'https://ehr.example/other/Practitioner?x=1')).toBeNull();
    expect(cursorFromNextLink(BASE, 'Practitioner', undefined)).toBeNull();
  });

  it('refuses a cursor it did not make', () => {
    expect(paramsFromCursor('not json!')).toBeNull();
    expect(paramsFromCursor(Buffer.from('{"a":1}').toString('base64url'))).toBeNull();
    expect(paramsFromCursor(Buffer.from('[["bad key","v"]]').toString('base64url'))).toBeNull();
    expect(paramsFromCursor(Buffer.from('[["_id","a"],["_id","b"]]').toString('base64url'))).toEqual({ _id: ['a', 'b'] });
  });
});
