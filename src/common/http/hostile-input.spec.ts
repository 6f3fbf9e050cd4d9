import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error.js';
import { hostileBodyIssues, MAX_BODY_DEPTH, rejectHostileBody, rejectHostileUrl, scanJsonBytes, verifyJson } from './hostile-input.js';

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

  it('finds refused strings among numbers, booleans and nulls, each by its own path', () => {
    expect(hostileBodyIssues({ a: [1, 2, 'x\u0000', null, true, { b: '\ud800' }], c: 3 }).map((i) => i.expression)).toEqual(['a[2]', 'a[5].b']);
    expect(hostileBodyIssues([0, false, null, 'ok', [1, ['\u0000']]]).map((i) => i.expression)).toEqual(['[4][1][0]']);
  });

  it('stops at a depth no form needs, without recursing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(hostileBodyIssues(deep)[0].message).toMatch(`nested deeper than ${MAX_BODY_DEPTH} levels`);
  });
});

const nest = (levels: number, inner = '1') => '['.repeat(levels) + inner + ']'.repeat(levels);

describe('scanJsonBytes (before JSON.parse)', () => {
  const samples = [
    '{"a":"plain","b":[1,2,{"c":"é ü 中"}]}',
    '{"a":"\\u0000 is text here, not an escape"}',
    '{"a":"x\\u0000"}'.replace('\\\\', '\\'), // a real \u0000 escape
    '{"a":"\\ud83d\\ude00"}'.replace(/\\\\/g, '\\'), // an escaped pair: well-formed, but the walk must decide
    '{"a":"\\uDC00"}'.replace('\\\\', '\\'),
    '{"a":"\\u00e9 \\u0041"}'.replace(/\\\\/g, '\\'),
    '{"k\\u0000":1}'.replace('\\\\', '\\'),
    '{"a":"[[[[[[ \\" {{{{"}'.replace('\\\\', '\\'),
    nest(MAX_BODY_DEPTH),
    nest(MAX_BODY_DEPTH + 1),
    `{"a":${nest(MAX_BODY_DEPTH - 1, '{}')}}`,
    `{"a":${nest(MAX_BODY_DEPTH, '{}')}}`,
  ];

  it.each(samples)('agrees with the walk after parsing: %s', (text) => {
    const scan = scanJsonBytes(Buffer.from(text, 'utf8'));
    const walked = hostileBodyIssues(JSON.parse(text));
    expect(scan.tooDeep).toBe(walked.some((i) => i.message.includes('nested deeper')));
    // Nothing refusable found by the scan means nothing for the walk either (the scan may be cautious, never lax).
    if (!scan.tooDeep && !scan.refusable) expect(walked).toEqual([]);
    if (walked.length && !scan.tooDeep) expect(scan.refusable).toBe(true);
  });

  it('is not fooled by brackets and escaped quotes inside strings', () => {
    expect(scanJsonBytes(Buffer.from(`{"a":"${'['.repeat(200)}\\"${'{'.repeat(200)}"}`))).toEqual({ tooDeep: false, refusable: false });
  });

  it('stops at the first level too deep, however large the body', () => {
    expect(scanJsonBytes(Buffer.from('['.repeat(1_000_000))).tooDeep).toBe(true);
  });
});

describe('verifyJson and rejectHostileBody', () => {
  const through = (text: string, parsed: unknown) => {
    const req = new EventEmitter() as unknown as Request;
    verifyJson(req as IncomingMessage, {} as ServerResponse, Buffer.from(text, 'utf8'), 'utf-8');
    req.body = parsed;
    let passed: unknown = 'not called';
    rejectHostileBody()(req, {} as Response, ((err?: unknown) => (passed = err)) as NextFunction);
    return passed;
  };

  it('refuses a body nested too deeply before it is parsed, with a 400 issue', () => {
    expect(() => verifyJson({} as IncomingMessage, {} as ServerResponse, Buffer.from(nest(MAX_BODY_DEPTH + 1)), 'utf-8')).toThrow(DomainError);
    let thrown: unknown;
    try {
      verifyJson({} as IncomingMessage, {} as ServerResponse, Buffer.from(nest(10_000)), 'utf-8');
    } catch (e) {
      thrown = e;
    }
    expect((thrown as DomainError).code).toBe('COMMON.VALIDATION');
    expect((thrown as DomainError).issues?.[0]).toEqual({ message: `body: nested deeper than ${MAX_BODY_DEPTH} levels`, expression: 'body' });
  });

  it('lets a scanned clean body through without a walk, and still walks one with a refusable escape', () => {
    // The parsed value is deliberately not what the text says: a clean scan means the walk is skipped.
    expect(through('{"a":"ok"}', { a: 'x\u0000' })).toBeUndefined();
    const text = '{"a":"x\\u0000"}'.replace('\\\\', '\\');
    const refused = through(text, JSON.parse(text)) as DomainError;
    expect(refused.code).toBe('COMMON.VALIDATION');
    expect(refused.issues?.[0].message).toBe('a: contains a NUL character');
  });
});

describe('rejectHostileUrl', () => {
  const check = (url: string) => {
    let passed: unknown = 'not called';
    rejectHostileUrl()({ originalUrl: url } as Request, {} as Response, ((err?: unknown) => (passed = err)) as NextFunction);
    return passed as DomainError | undefined;
  };

  it('passes plain ASCII URLs and refuses encoded NUL, surrogates and bad UTF-8', () => {
    expect(check('/api/patients/abc-123/questionnaire-responses?status=completed&_count=50')).toBeUndefined();
    expect(check('/api/people?name=Jos%C3%A9')).toBeUndefined();
    expect(check('/api/people?name=a%00b')?.code).toBe('COMMON.VALIDATION');
    expect(check('/api/people/%ED%A0%80')?.code).toBe('COMMON.VALIDATION');
    expect(check('/api/people?name=%FF')?.code).toBe('COMMON.VALIDATION');
    // Raw bytes as Node hands them over (latin1 characters): UTF-8 "é" passes, a lone latin1 "é" byte does not.
    expect(check('/api/people?name=Jos\u00c3\u00a9')).toBeUndefined();
    expect(check('/api/people?name=Jos\u00e9')?.code).toBe('COMMON.VALIDATION');
  });
});
