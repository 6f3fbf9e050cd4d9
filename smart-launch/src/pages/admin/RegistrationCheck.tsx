import { useState } from 'preact/hooks';
import { ApiError } from '../../lib/api';
import { conditionalWritesText, deliveryModeText, stepsOf, writeBack, type CheckStep, type ConnectionReport, type DeliveryProfile, type StepResult } from '../../lib/registrations';
import { ErrorBox } from '../../ui/Status';
import { useAction } from '../../ui/use-load';

const STEP_NAMES: Record<string, string> = {
  discovery: 'Find the token endpoint',
  token: 'Get a system token',
  capabilities: 'Read the CapabilityStatement',
  delivery: 'Choose how write-backs are delivered',
  'dry-run': 'Validate a sample write-back (dry run)',
};
/** An icon and a word for each result: never colour alone. */
const RESULTS: Record<StepResult, { icon: string; word: string; badge: string }> = {
  ok: { icon: '✓', word: 'Passed', badge: 'done' },
  failed: { icon: '✗', word: 'Failed', badge: 'dead' },
  skipped: { icon: '–', word: 'Skipped', badge: '' },
};
const SOURCES: Record<string, string> = {
  'capability-statement': 'the EHR’s CapabilityStatement, then this registration’s overrides (if any)',
  registration: 'this registration’s settings (the EHR serves no usable CapabilityStatement)',
  default: 'assumed: the CapabilityStatement could not be read',
};

type Outcome = { passed: true; report: ConnectionReport } | { passed: false; steps: CheckStep[] };
export type ConnectionCheck = ReturnType<typeof useConnectionCheck>;

/**
 * "Check connection" for one registration: discovery, a token round trip, the CapabilityStatement and the
 * delivery mode it gives, a validation dry-run. Writes nothing to the EHR. A failed step (422) is a result
 * like a pass, read from the OperationOutcome; anything else (400: the registration cannot be checked) is an error.
 */
export function useConnectionCheck(id: string) {
  const [result, setResult] = useState<Outcome | null>(null);
  const action = useAction();
  const run = async () => {
    setResult(null);
    const outcome = await action.run(async (): Promise<Outcome> => {
      try {
        return { passed: true, report: await writeBack.check(id) };
      } catch (e) {
        if (e instanceof ApiError && e.status === 422) return { passed: false, steps: stepsOf(e.outcome) };
        throw e;
      }
    });
    setResult(outcome ?? null);
  };
  return { run, busy: action.busy, error: action.error, result };
}

export function CheckButton({ check, name }: { check: ConnectionCheck; name: string }) {
  return (
    <button type="button" class="secondary" onClick={check.run} disabled={check.busy}>
      Check connection<span class="visually-hidden"> to {name}</span>
    </button>
  );
}

/** The result, read out politely (role="status", present before it fills); a refusal is an alert with the service's words. */
export function CheckReport({ check, name, enabled }: { check: ConnectionCheck; name: string; enabled: boolean }) {
  return (
    <>
      <ErrorBox error={check.error} title={`The connection to ${name} could not be checked`} />
      <div role="status" aria-live="polite">
        {check.busy && <p>Checking the connection to {name}…</p>}
        {check.result && <CheckResult name={name} enabled={enabled} result={check.result} />}
      </div>
    </>
  );
}

function CheckResult({ name, enabled, result }: { name: string; enabled: boolean; result: Outcome }) {
  const steps = result.passed ? result.report.steps : result.steps;
  const failed = steps.find((s) => s.result === 'failed');
  return (
    <div class="card">
      <h3>
        <span aria-hidden="true">{failed ? '✗ ' : '✓ '}</span>
        {failed ? `Connection check failed at “${STEP_NAMES[failed.step] ?? failed.step}”` : 'Connection check passed'}
        <span class="visually-hidden"> for {name}</span>
      </h3>
      {failed && <p><strong>What the check found:</strong> {failed.detail}</p>}
      {!enabled && <p>This registration is disabled: nothing is written back to it until it is enabled.</p>}
      <ol>
        {steps.map((s) => (
          <li key={s.step}>
            <span class={`badge ${RESULTS[s.result].badge}`}><span aria-hidden="true">{RESULTS[s.result].icon} </span>{RESULTS[s.result].word}</span>{' '}
            <strong>{STEP_NAMES[s.step] ?? s.step}</strong>: {s.detail}
          </li>
        ))}
      </ol>
      {result.passed && <Delivery report={result.report} />}
    </div>
  );
}

function Delivery({ report }: { report: ConnectionReport }) {
  const p: DeliveryProfile | null | undefined = report.delivery;
  return (
    <dl>
      <dt>Write-backs go to</dt>
      <dd><code>{report.fhirBaseUrl}</code>, {report.writeBackAuth === 'user' ? 'with the launching user’s token' : 'with this service’s own (system) token'}</dd>
      {p ? (
        <>
          <dt>Delivery</dt>
          <dd>{deliveryModeText(p)}</dd>
          <dt>Conditional writes</dt>
          <dd>{conditionalWritesText(p)}</dd>
          <dt>Decided from</dt>
          <dd>{SOURCES[p.source] ?? p.source}</dd>
        </>
      ) : (
        <>
          <dt>Delivery</dt>
          <dd>Not known: the EHR’s CapabilityStatement does not say enough to write without duplicates. Set the delivery mode and conditional writes on this registration; write-backs wait until then.</dd>
        </>
      )}
    </dl>
  );
}
