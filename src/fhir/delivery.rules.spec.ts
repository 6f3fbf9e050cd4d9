import { judgeFailure, operationOutcomeOnly } from './delivery.rules.js';
import { FhirCallError, retryAfterMs } from './fhir-gateway.js';

const at = new Date('2026-03-02T10:00:00Z');
const oo = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'bad' }] };

describe('delivery rules', () => {
  it.each([
    [0, 'retry'],
    [401, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [200, 'retry'], // a 2xx we could not read: resending is idempotent
    [400, 'dead'],
    [403, 'dead'],
    [404, 'dead'],
    [409, 'dead'],
    [412, 'dead'],
    [422, 'dead'],
  ])('status %i → %s', (status, action) => {
    expect(judgeFailure(new FhirCallError(status, oo), at).action).toBe(action);
  });

  it('keeps the EHR’s OperationOutcome, the status and the reason, and asks for a new token after a 401', () => {
    expect(judgeFailure(new FhirCallError(422, oo), at).error).toEqual({ status: 422, reason: 'http', retryable: false, at: at.toISOString(), outcome: oo });
    expect(judgeFailure(new FhirCallError(401, undefined), at).refreshToken).toBe(true);
    expect(judgeFailure(new FhirCallError(0, undefined, 'ECONNREFUSED'), at).error).toMatchObject({ status: 0, reason: 'ECONNREFUSED' });
    expect(judgeFailure(new FhirCallError(429, undefined, 'http', 30000), at).retryAfterMs).toBe(30000);
  });

  it('treats a fault of our own as retryable, never as the EHR’s verdict', () => {
    expect(judgeFailure(new TypeError('x'), at)).toMatchObject({ action: 'retry', error: { reason: 'internal', retryable: true } });
  });

  it('keeps only OperationOutcomes, and only the codes of a huge one', () => {
    expect(operationOutcomeOnly('<html>Bad gateway</html>')).toBeUndefined();
    expect(operationOutcomeOnly({ resourceType: 'Patient' })).toBeUndefined();
    const huge = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'x'.repeat(9000) }] };
    expect(operationOutcomeOnly(huge)).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] });
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('120')).toBe(120000);
    expect(retryAfterMs(new Date(Date.UTC(2026, 2, 2, 10, 1)).toUTCString(), at.getTime())).toBe(60000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
