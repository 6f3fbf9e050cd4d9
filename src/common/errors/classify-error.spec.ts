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

  it('maps Nest HTTP exceptions', () => {
    expect(classifyError(new NotFoundException()).code).toBe('COMMON.NOT_FOUND');
    expect(classifyError(new PayloadTooLargeException()).status).toBe(413);
  });

  it('treats anything else as unexpected, with a message that reveals nothing', () => {
    const c = classifyError(new TypeError('cannot read x of undefined at secret.ts'));
    expect(c).toMatchObject({ status: 500, unexpected: true, message: 'An unexpected error occurred.' });
  });
});
