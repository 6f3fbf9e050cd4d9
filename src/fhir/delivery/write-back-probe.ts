import { Injectable } from '@nestjs/common';
import type { Bundle, CapabilityStatement, OperationOutcome } from 'fhir/r4.js';
import { APP_DEVICE, businessIdentifier } from '../business-identifier.js';
import type { FhirConnection } from '../fhir-connection.js';
import { FhirCallError, FhirGateway } from '../fhir-gateway.js';
import { transactionBundle } from '../write-back.fhir.js';
import { CapabilityCache } from './capability-cache.js';
import { idempotent, type DeliveryProfile } from './delivery-profile.js';

export interface ProbeStep {
  step: 'capabilities' | 'delivery' | 'dry-run';
  result: 'ok' | 'failed' | 'skipped';
  detail: string;
}

/**
 * The FHIR half of an admin's "check connection": read the EHR's CapabilityStatement (refreshing the cached
 * delivery profile) and ask the EHR to validate one sample Bundle of the kind we write (`Bundle/$validate`),
 * writing nothing. An EHR that offers no `$validate` is reported as such, not as a failure.
 */
@Injectable()
export class WriteBackProbe {
  constructor(
    private readonly gateway: FhirGateway,
    private readonly capabilities: CapabilityCache,
  ) {}

  /** `dryRun: false` when we hold no token (user-credential delivery): the CapabilityStatement is public. */
  async probe(conn: FhirConnection, o: { dryRun: boolean }): Promise<{ steps: ProbeStep[]; profile?: DeliveryProfile }> {
    const { statement, profile, error } = await this.capabilities.refresh(conn);
    const steps: ProbeStep[] = [
      statement
        ? { step: 'capabilities', result: 'ok', detail: `FHIR ${statement.fhirVersion ?? '?'}${statement.software?.name ? ` (${statement.software.name.slice(0, 80)})` : ''}` }
        : { step: 'capabilities', result: 'failed', detail: describe(error) },
    ];
    if (!profile) return { steps };
    steps.push(
      idempotent(profile)
        ? { step: 'delivery', result: 'ok', detail: describeProfile(profile) }
        : { step: 'delivery', result: 'failed', detail: 'The EHR offers neither conditional create/update nor search by identifier for every type we write: a resend could duplicate resources.' },
    );
    if (!statement) return { steps, profile };
    steps.push(o.dryRun ? await this.dryRun(conn, offersValidate(statement)) : { step: 'dry-run', result: 'skipped', detail: 'Needs a token; write-back uses the launching user’s.' });
    return { steps, profile };
  }

  /** `listed`: the CapabilityStatement names a `validate` operation (then a 400 `not-supported` is about the Bundle). */
  private async dryRun(conn: FhirConnection, listed: boolean): Promise<ProbeStep> {
    try {
      const outcome = (await this.gateway.operation(conn, 'Bundle', '$validate', sampleBundle())) as OperationOutcome | undefined;
      const errors = (outcome?.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
      return errors.length ? { step: 'dry-run', result: 'failed', detail: issuesText(errors) } : { step: 'dry-run', result: 'ok', detail: 'The EHR validated a sample write-back Bundle.' };
    } catch (err) {
      const issues = (err instanceof FhirCallError ? ((err.outcome as OperationOutcome | undefined)?.issue ?? []) : []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
      // No such operation here: 404/405/501. Not a failure of the connection: write-back never needs $validate.
      if (err instanceof FhirCallError && [404, 405, 501].includes(err.status)) return { step: 'dry-run', result: 'skipped', detail: 'The EHR offers no Bundle/$validate.' };
      // A 400 whose every error is `not-supported` (the reference EHR's answer to any operation) is the same, unless the
      // CapabilityStatement lists `validate`: then the EHR ran it and it is the sample Bundle that is not supported (a
      // conditional create, say), which write-back would meet too. Either way the EHR's own words are shown.
      if (err instanceof FhirCallError && err.status === 400 && !listed && issues.length > 0 && issues.every((i) => i.code === 'not-supported')) {
        return { step: 'dry-run', result: 'skipped', detail: `The EHR did not run Bundle/$validate: ${issuesText(issues)}` };
      }
      return { step: 'dry-run', result: 'failed', detail: issues.length ? issuesText(issues) : describe(err) };
    }
  }
}

/** A synthetic referral as we write it (conditional create on our identifier, plus Provenance); no real patient. */
export function sampleBundle(): Bundle {
  return transactionBundle(
    [
      {
        resource: {
          resourceType: 'ServiceRequest',
          status: 'draft',
          intent: 'order',
          category: [{ text: 'Referral' }],
          code: { text: 'Connection check (sample, never stored)' },
          subject: { display: 'Synthetic patient' },
        },
        businessIdentifier: businessIdentifier('connection-check', 'sample'),
      },
    ],
    { agent: APP_DEVICE, recorded: '2026-01-01T00:00:00Z' },
  );
}

/** How write-backs will go, in an admin's words. */
export function describeProfile(p: DeliveryProfile): string {
  const how = p.mode === 'individual' ? 'one request per resource' : p.maxEntries ? `transactions of at most ${p.maxEntries} entries` : 'one transaction per change';
  const dedupe = p.conditionalCreate && p.conditionalUpdate ? 'conditional writes' : 'a search by our identifier before each write';
  return `${how}, duplicate-free by ${dedupe}${p.source === 'registration' ? ' (as the registration says)' : ''}.`;
}

function issuesText(issues: OperationOutcome['issue']): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.details?.text ?? i.diagnostics ?? i.code}${i.expression?.length ? ` (${i.expression.join(', ')})` : ''}`)
    .join('; ')
    .slice(0, 500);
}

function describe(err: unknown): string {
  if (err instanceof FhirCallError) return err.status ? `The EHR answered HTTP ${err.status}.` : `The EHR did not answer (${err.reason}).`;
  return 'The EHR could not be reached.';
}

/** Whether the CapabilityStatement lists a `validate` operation, for the whole system or for any resource type. */
export function offersValidate(statement: CapabilityStatement): boolean {
  const isValidate = (op: { name?: string; definition?: string }) => op.name?.replace(/^\$/, '') === 'validate' || /\/OperationDefinition\/Resource-validate$/.test(op.definition ?? '');
  return (statement.rest ?? []).some((r) => (r.operation ?? []).some(isValidate) || (r.resource ?? []).some((res) => (res.operation ?? []).some(isValidate)));
}
