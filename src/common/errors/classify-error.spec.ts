import { NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { classifyError } from './classify-error.js';
import { DomainError } from './domain-error.js';
import { operationOutcome } from './operation-outcome.js';

describe('classifyError', () => {
  it('maps a domain error by its code and keeps its per-item issues', () => {
    const c = classifyError(new DomainError('COMMON.VALIDATION', 'Invalid answers', [{ message: 'required', expression: 'item[0]' }]));
    expect(c).toMatchObject({ status: 400, code: 'COMMON.VALIDATION', issueType: 'invalid', unexpected: false });
    const oo = operationOutcome(c.issueType, c.code, c.message, c.issues);
    expect(oo.issue[0].expression).toEqual(['item[0]']);
  });

  it('maps body-parser failures', () => {
    expect(classifyError({ type: 'entity.parse.failed', status: 400 }).status).toBe(400);
    expect(classifyError({ type: 'entity.too.large', status: 413 }).status).toBe(413);
    expect(classifyError({ type: 'charset.unsupported', status: 415 }).status).toBe(415);
  });

  it('maps a body that is not what its Content-Encoding says (zlib error through body-parser) to 400', () => {
    const zlib = Object.assign(new Error('incorrect header check'), { errno: -3, code: 'Z_DATA_ERROR', status: 400, expose: true });
    expect(classifyError(zlib)).toMatchObject({ status: 400, code: 'COMMON.BODY_ENCODING', unexpected: false });
    expect(classifyError({ type: 'encoding.unsupported', status: 415 }).status).toBe(415);
  });

  it('sheds (503) when the pool or the database is saturated, never 500', () => {
    for (const err of [
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('x'), { driverError: new Error('Query read timeout') }),
      Object.assign(new Error('too many clients'), { code: '53300' }),
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      Object.assign(new Error('deadlock detected'), { code: '40P01' }),
    ]) {
      expect(classifyError(err)).toMatchObject({ status: 503, code: 'COMMON.OVERLOADED', unexpected: false });
    }
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503, code: 'COMMON.DATABASE_UNAVAILABLE' });
    expect(classifyError(new Error('Connection terminated unexpectedly')).status).toBe(503);
    // A connection ended after its query timed out (closing-client.ts), used again by the same caller.
    for (const message of ['Client was closed and is not queryable', 'Connection terminated']) {
      expect(classifyError(Object.assign(new Error('x'), { driverError: new Error(message) }))).toMatchObject({ status: 503, code: 'COMMON.DATABASE_UNAVAILABLE' });
    }
  });

  it('answers 400 (logged) for a value PostgreSQL refuses as data, not 500', () => {
    const c = classifyError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { driverError: { code: '22021' } }));
    expect(c).toMatchObject({ status: 400, code: 'COMMON.VALIDATION', unexpected: false, logged: true });
    expect(classifyError({ driverError: { code: '54000', message: 'index row size exceeds maximum' } }).status).toBe(400);
  });

  it('maps Nest HTTP exceptions', () => {
    expect(classifyError(new NotFoundException()).code).toBe('COMMON.NOT_FOUND');
    expect(classifyError(new PayloadTooLargeException()).status).toBe(413);
  });

  it('treats anything else as unexpected, with a message that reveals nothing', () => {
    const c = classifyError(new TypeError('cannot read x of undefined at secret.ts'));
    expect(c).toMatchObject({ status: 500, unexpected: true, message: 'An unexpected error occurred.' });
  });
});
