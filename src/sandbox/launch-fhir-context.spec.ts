import { describe, expect, it } from '@jest/globals';
import { parseFhirContextParam } from './launch-fhir-context.js';

describe("the sandbox launcher's fhirContext parameter", () => {
  it('takes a Questionnaire canonical, with or without its version', () => {
    expect(parseFhirContextParam('http://example.org/Questionnaire/phq-9|1.0.0')).toEqual({ items: [{ canonical: 'http://example.org/Questionnaire/phq-9|1.0.0', type: 'Questionnaire' }] });
    expect(parseFhirContextParam(['https://example.org/q', 'Task/t-1']).items).toEqual([{ canonical: 'https://example.org/q', type: 'Questionnaire' }, { reference: 'Task/t-1' }]);
  });

  it('refuses a control character (NUL, which URL.canParse lets through and jsonb refuses)', () => {
    expect(parseFhirContextParam(`http://a/${String.fromCharCode(0)}`).error).toMatch(/control characters/);
    expect(parseFhirContextParam(`http://example.org/Questionnaire/phq-9|1.0${String.fromCharCode(0x1f)}`).error).toBeDefined();
    expect(parseFhirContextParam(`Task/t1${String.fromCharCode(0x7f)}`).error).toBeDefined();
  });

  it('is empty when absent or blank, and refuses anything else', () => {
    expect(parseFhirContextParam(undefined)).toEqual({ items: [] });
    expect(parseFhirContextParam('')).toEqual({ items: [] });
    expect(parseFhirContextParam('javascript:alert(1)').error).toBeDefined();
    expect(parseFhirContextParam('Patient/p1').error).toBeDefined();
    expect(parseFhirContextParam(['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `Task/${x}`)).error).toMatch(/At most/);
  });
});
