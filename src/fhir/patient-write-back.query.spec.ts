import { DomainError } from '../common/errors/domain-error.js';
import type { OutboxError } from './outbox-entry.entity.js';
import { ehrMessage, MESSAGE_MAX_CHARS, outcomeText, parsePatientId, toPatientWriteBack, type PatientWriteBackRow } from './patient-write-back.query.js';

const at = '2026-03-02T10:00:00.000Z';
const refused = (outcome: unknown, status = 422): OutboxError => ({ status, reason: 'http', retryable: false, outcome, at });
const row = (r: Partial<PatientWriteBackRow>): PatientWriteBackRow => ({ delivered: 0, waiting: 0, dead: 0, oldest: null, problems: null, ...r });

describe('a patient’s write-back status', () => {
  it('accepts FHIR ids only', () => {
    expect(parsePatientId('sbx-pat-1.2')).toBe('sbx-pat-1.2');
    for (const bad of ['', 'a/b', 'x'.repeat(65), "1' OR '1'='1", undefined]) {
      expect(() => parsePatientId(bad)).toThrow(DomainError);
    }
  });

  it('quotes the EHR’s words: issue text and diagnostics (once each), with where', () => {
    expect(outcomeText({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'Task.status: unknown code' }] })).toBe('Task.status: unknown code');
    expect(
      outcomeText({
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'information', diagnostics: 'ignored' },
          { severity: 'error', details: { text: 'Invalid additional property' }, diagnostics: 'Invalid additional property', expression: ['CarePlan.basedOn'] },
          { severity: 'fatal', details: { text: 'Too  many\nentries' }, diagnostics: 'limit 8' },
        ],
      }),
    ).toBe('Invalid additional property (CarePlan.basedOn); Too many entries — limit 8');
    expect(outcomeText({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning', diagnostics: 'only a warning' }] })).toBe('only a warning');
    expect(outcomeText('<html>502</html>')).toBe('');
    expect(outcomeText({ resourceType: 'Bundle' })).toBe('');
  });

  it('says what is known when the EHR gave no OperationOutcome, and keeps messages short', () => {
    expect(ehrMessage(refused(undefined, 400))).toBe('The EHR answered HTTP 400.');
    expect(ehrMessage({ status: 0, reason: 'ECONNREFUSED', retryable: true, at })).toBe('The EHR did not answer (ECONNREFUSED).');
    expect(ehrMessage({ status: 0, reason: 'authorization:SMART.TOKEN_EXCHANGE_FAILED', retryable: true, at })).toBe('The EHR did not grant write-back access (SMART.TOKEN_EXCHANGE_FAILED).');
    expect(ehrMessage({ status: 0, reason: 'internal', retryable: true, at })).toMatch(/our side/);
    // Not "the EHR did not answer": it was never sent (outbox.worker.ts, claimed past the budget with nothing recorded).
    expect(ehrMessage({ status: 0, reason: 'abandoned', retryable: true, at })).toMatch(/^Sending stopped again and again .*our side/);
    expect(ehrMessage(null)).toBe('No reason was recorded.');
    const long = ehrMessage(refused({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', diagnostics: 'x'.repeat(1000) }] }));
    expect(long).toHaveLength(MESSAGE_MAX_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });

  it('lets failed win over waiting over delivered', () => {
    expect(toPatientWriteBack(row({}))).toEqual({ state: 'delivered', delivered: 0, waiting: 0, oldestWaitingSeconds: null, failedCount: 0, failed: [], retrying: [] });
    expect(toPatientWriteBack(row({ delivered: 3, waiting: 2, oldest: 339.6 }))).toMatchObject({ state: 'waiting', waiting: 2, oldestWaitingSeconds: 340 });
    const dead = { id: 'd', kind: 'referral.created', status: 'dead' as const, createdAt: '2026-03-02T09:00:00+00:00', lastError: refused({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', diagnostics: 'No' }] }) };
    const retrying = { id: 'r', kind: 'enrolment.created', status: 'pending' as const, createdAt: '2026-03-02T09:30:00+00:00', lastError: { status: 503, reason: 'http', retryable: true, at } };
    const s = toPatientWriteBack(row({ delivered: 1, waiting: 1, dead: 1, oldest: 10, problems: [dead, retrying] }));
    expect(s.state).toBe('failed');
    expect(s.failed).toEqual([{ id: 'd', kind: 'referral.created', createdAt: '2026-03-02T09:00:00.000Z', at, status: 422, reason: 'http', message: 'No', retryable: false }]);
    expect(s.retrying).toEqual([{ id: 'r', kind: 'enrolment.created', createdAt: '2026-03-02T09:30:00.000Z', at, status: 503, reason: 'http', message: 'The EHR answered HTTP 503.', retryable: true }]);
  });
});
