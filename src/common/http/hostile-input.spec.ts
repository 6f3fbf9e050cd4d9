import { hostileBodyIssues, MAX_BODY_DEPTH } from './hostile-input.js';

describe('hostileBodyIssues', () => {
  it('names each refused string by its path, FHIR items by linkId, in document order', () => {
    const qr = {
      resourceType: 'QuestionnaireResponse',
      item: [
        { linkId: 'a', answer: [{ valueString: 'ok' }] },
        { linkId: 'b', item: [{ linkId: 'b.1', answer: [{ valueString: 'x\u0000' }] }] },
        { linkId: 'bad\u0000id', text: '\udc00' },
      ],
    };
    expect(hostileBodyIssues(qr).map((i) => i.expression)).toEqual([
      "QuestionnaireResponse.item.where(linkId='b').item.where(linkId='b.1').answer[0].valueString",
      'QuestionnaireResponse.item[2].linkId',
      'QuestionnaireResponse.item[2].text',
    ]);
  });

  it('names plain JSON fields, property names and odd keys without echoing them', () => {
    expect(hostileBodyIssues({ reason: 'a\ud800', tags: ['x', 'y\u0000'] }).map((i) => i.expression)).toEqual(['reason', 'tags[1]']);
    expect(hostileBodyIssues({ nested: { ['k\u0000']: 1 } })[0]).toMatchObject({ expression: 'nested', message: 'nested: a property name contains a NUL character' });
    expect(hostileBodyIssues({ 'a b': '\u0000' })[0].expression).toBe('["a b"]');
    expect(hostileBodyIssues('\u0000')[0].expression).toBe('body');
  });

  it('accepts paired surrogates (emoji) and ordinary text', () => {
    expect(hostileBodyIssues({ note: 'Feeling 🙂 — merci, ありがとう', n: 3, ok: true, none: null })).toEqual([]);
  });

  it('stops at a depth no form needs, without recursing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(hostileBodyIssues(deep)[0].message).toMatch(`nested deeper than ${MAX_BODY_DEPTH} levels`);
  });
});
