import { SandboxError } from './sandbox-errors.js';
import { encodePageToken, parseSearch } from './search.js';
import { searchSql } from './search-sql.js';

const ISS = 'http://127.0.0.1:3000/sandbox/fhir';

describe('search parameters', () => {
  it('parses tokens, references, dates, status and paging', () => {
    const q = parseSearch('Observation', {
      identifier: 'urn:sys|v1',
      patient: 'sbx-pat-1',
      'based-on': 'CarePlan/cp1,CarePlan/cp2',
      status: 'final,amended',
      date: 'ge2025-01-01',
      _count: '10',
      _page: encodePageToken(20),
      _sort: '-_lastUpdated',
    }, ISS);
    expect(q).toMatchObject({ count: 10, offset: 20, sort: 'desc' });
    expect(q.filters).toEqual([
      { kind: 'token', element: 'identifier', alternatives: [{ system: 'urn:sys', value: 'v1' }] },
      { kind: 'reference', refs: ['patient=Patient/sbx-pat-1'] },
      { kind: 'reference', refs: ['based-on=CarePlan/cp1', 'based-on=CarePlan/cp2'] },
      { kind: 'status', values: ['final', 'amended'] },
      { kind: 'date', prefix: 'ge', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') },
    ]);
  });

  it('reads system-only and value-only tokens, and absolute references on this server', () => {
    const q = parseSearch('Patient', { identifier: ['urn:sys|', 'v2'], subject: `${ISS}/Group/g1` }, ISS);
    expect(q.filters[0]).toMatchObject({ alternatives: [{ system: 'urn:sys' }] });
    expect(q.filters[1]).toMatchObject({ alternatives: [{ value: 'v2' }] });
    expect(q.filters[2]).toEqual({ kind: 'reference', refs: ['subject=Group/g1'] });
  });

  it.each([
    [{ family: 'Smith' }, /not supported/],
    [{ 'identifier:exact': 'x' }, /not supported/],
    [{ focus: 'sr1' }, /Type\/id/],
    [{ date: 'last-week' }, /FHIR date/],
    [{ _count: '-1' }, /whole number/],
    [{ _page: 'nonsense' }, /page token/],
    [{ _sort: 'name' }, /_lastUpdated/],
  ])('refuses %j', (params, message) => {
    expect(() => parseSearch('Patient', params, ISS)).toThrow(SandboxError);
    expect(() => parseSearch('Patient', params, ISS)).toThrow(message);
  });

  it('reads name as a case-insensitive string search', () => {
    expect(parseSearch('Practitioner', { name: 'Mock,Robin Mo' }, ISS).filters).toEqual([{ kind: 'name', prefixes: ['mock', 'robin mo'] }]);
    const sql = searchSql(parseSearch('Practitioner', { name: '50%_off' }, ISS));
    expect(sql.where).toContain('LIKE ANY($2::text[])');
    expect(sql.params[1]).toEqual(['% 50\\%\\_off%']);
  });

  it('ignores formatting parameters and caps _count', () => {
    expect(parseSearch('Patient', { _format: 'json', _count: '100000' }, ISS).count).toBe(500);
  });
});

describe('search SQL', () => {
  it('binds every value and uses index-friendly operators', () => {
    const q = parseSearch('Task', { identifier: 'urn:s|1', patient: 'Patient/p1', status: 'requested', date: 'lt2025' }, ISS);
    q.filters.push({ kind: 'compartment', patientRef: 'Patient/p1' });
    const sql = searchSql(q);
    expect(sql.where).toBe(
      "resource_type = $1 AND ((resource -> 'identifier' @> $2::jsonb OR resource -> 'identifier' @> $3::jsonb))" +
        ' AND refs && $4::text[] AND resource ->> \'status\' = ANY($5::text[]) AND main_date < $6 AND patient_ref = $7',
    );
    expect(sql.params).toEqual([
      'Task', '[{"system":"urn:s","value":"1"}]', '{"system":"urn:s","value":"1"}', ['patient=Patient/p1'], ['requested'],
      new Date('2025-01-01T00:00:00Z'), 'Patient/p1',
    ]);
    expect(sql.orderBy).toBe('last_updated ASC, id ASC');
  });

  it('matches codes in a CodeableConcept or a list of Coding', () => {
    const sql = searchSql(parseSearch('Observation', { code: 'http://loinc.org|44261-6' }, ISS));
    expect(sql.where).toContain("resource -> 'code' -> 'coding' @> $2::jsonb OR resource -> 'code' @> $3::jsonb");
    expect(sql.params[1]).toBe('[{"system":"http://loinc.org","code":"44261-6"}]');
  });
});
