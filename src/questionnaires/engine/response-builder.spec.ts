import { describe, expect, it } from '@jest/globals';
import { phq9 } from './instruments/phq9.js';
import { programSatisfaction } from './instruments/program-satisfaction.js';
import { scsSf } from './instruments/scs-sf.js';
import { sessionCheckIn } from './instruments/session-check-in.js';
import { buildResponse } from './response-builder.js';

describe('buildResponse', () => {
  it('picks options by weight (honouring reversed items) and by code, with the canonical and status', () => {
    const qr = buildResponse(scsSf, { 'scs-sf-1': 5, 'scs-sf-2': 5, 'scs-sf-3': { code: 'scs-sf-answer-2' } }, { status: 'in-progress' });
    expect(qr).toMatchObject({ resourceType: 'QuestionnaireResponse', status: 'in-progress', questionnaire: `${scsSf.questionnaire.url}|1.0.0` });
    expect(qr.item!.map((i) => i.answer![0].valueCoding!.code)).toEqual(['scs-sf-answer-1', 'scs-sf-answer-5', 'scs-sf-answer-2']);
    expect(qr.item![0].answer![0]).not.toHaveProperty('extension');
  });

  it('nests items in their groups, in form order, and types plain values by item type', () => {
    const qr = buildResponse(programSatisfaction, { 'satisfaction-comments': 'Thanks', 'satisfaction-pace': 4, 'satisfaction-overall': 5 });
    expect(qr.item!.map((i) => i.linkId)).toEqual(['satisfaction-ratings', 'satisfaction-comments']);
    expect(qr.item![0].item!.map((i) => i.linkId)).toEqual(['satisfaction-overall', 'satisfaction-pace']);
    expect(qr.item![1].answer).toEqual([{ valueString: 'Thanks' }]);
    expect(buildResponse(sessionCheckIn, { 'checkin-distress': 6 }).item![0].answer).toEqual([{ valueInteger: 6 }]);
  });

  it('passes subject, author and other options through', () => {
    const qr = buildResponse(phq9, {}, { subject: { reference: 'Patient/1' }, authored: '2025-01-01T10:00:00Z', questionnaire: 'urn:x|9' });
    expect(qr).toMatchObject({ subject: { reference: 'Patient/1' }, authored: '2025-01-01T10:00:00Z', questionnaire: 'urn:x|9', item: [] });
  });

  it('throws on an unknown linkId or an answer no option matches', () => {
    expect(() => buildResponse(phq9, { 'phq9-99': 1 })).toThrow('phq9-99');
    expect(() => buildResponse(phq9, { 'phq9-1': 7 })).toThrow('No option of phq9-1');
  });
});
