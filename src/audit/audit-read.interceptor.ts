import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import type { SessionUser } from '../common/auth/session-user.js';
import { classifyError } from '../common/errors/classify-error.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AuditOutcome } from './audit-event.entity.js';
import { AUDIT_READ_KEY, type AuditReadSpec } from './audit-read.metadata.js';
import type { AuditEntry } from './audit.service.js';
import { AuditService } from './audit.service.js';
import { canonicalPatientId } from './patient-id.js';
import { declaredPatients, requestPatients, resultPatients } from './read-patients.js';

interface ReadingRequest {
  method?: string;
  id?: string;
  /** The client's correlation id (request-id.ts): carried from here, as the request may have closed by the time a row is written. */
  correlationId?: string;
  user?: SessionUser;
  params?: Record<string, unknown>;
  query?: unknown;
}

/** The non-PHI detail a route asked for (`detail` of `@AuditRead`): how many items it answered, its filters. */
function successDetail(spec: AuditReadSpec, req: ReadingRequest, body: unknown): Record<string, unknown> | undefined {
  if (!spec.detail) return undefined;
  const out: Record<string, unknown> = {};
  if (spec.detail.count) {
    const b = body as { items?: unknown; resourceType?: unknown; entry?: unknown } | null;
    const items = Array.isArray(body) ? body : b?.resourceType === 'Bundle' ? (b.entry ?? []) : b?.items;
    out.count = Array.isArray(items) ? items.length : null;
  }
  const query = (req.query ?? {}) as Record<string, unknown>;
  for (const name of spec.detail.query ?? []) out[name] = typeof query[name] === 'string' ? (query[name] as string).slice(0, 200) : null;
  return out;
}

/**
 * Attached by `@AuditRead` to each route it declares. Writes the audit rows of every route declared with `@AuditRead` (IHE BALP's read and query events): after the
 * handler succeeds, one row per patient whose data the answer holds, in one INSERT, before the answer leaves —
 * a read that cannot be audited is not answered. A refusal (401/403) is written as `denied`, any other error as
 * `failure`, with the patient the refusal concerns, else the patients the request named, when known; the error
 * filter then does not write its own `access.denied` row. A 503 (the database is overloaded) is not written: nothing was read,
 * and one more INSERT would only add to the load.
 */
@Injectable()
export class AuditReadInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = ctx.getType() === 'http' ? this.reflector.get<AuditReadSpec | undefined>(AUDIT_READ_KEY, ctx.getHandler()) : undefined;
    if (!spec) return next.handle();
    const req = ctx.switchToHttp().getRequest<ReadingRequest>();
    if (req.method === 'HEAD') {
      // Express answers HEAD with the GET handler and drops the body: the patient data would be read and audited as
      // read, and none sent. The headers (length, version) exist only by reading it, so HEAD is refused (405 with
      // Allow, RFC 9110): nothing is read or audited. A browser or the app never sends HEAD to these routes.
      ctx.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('Allow', 'GET');
      return throwError(() => new DomainError('COMMON.METHOD_NOT_ALLOWED', 'Patient data is only answered to GET.'));
    }
    return next.handle().pipe(
      catchError((err: unknown) => from(this.failed(spec, req, err)).pipe(mergeMap(() => throwError(() => err)))),
      mergeMap(async (body: unknown) => {
        const patients = resultPatients(spec, body, requestPatients(spec, req), req);
        if (patients.size || !spec.onlyWithPatient) await this.audit.recordMany(this.rows(spec, req, 'success', patients, successDetail(spec, req, body)));
        return body;
      }),
    );
  }

  private async failed(spec: AuditReadSpec, req: ReadingRequest, err: unknown): Promise<void> {
    const c = classifyError(err);
    if (c.status === 503) return;
    // A refusal that names its patient concerns that patient only, not every patient the request named (the
    // session's own patient beside ?patient=<another>, the allowed ids of ?ids= before the refused one).
    const refused = err instanceof DomainError ? canonicalPatientId(err.patientId) : null;
    const patients = refused ? new Set([refused]) : declaredPatients(spec, req, requestPatients(spec, req));
    if (!patients.size && spec.onlyWithPatient) return;
    const outcome: AuditOutcome = c.status === 401 || c.status === 403 ? 'denied' : 'failure';
    try {
      await this.audit.recordMany(this.rows(spec, req, outcome, patients, { reason: c.code, status: c.status }));
      if (err instanceof DomainError) err.audited = true;
    } catch (e) {
      this.logger.error({ msg: 'Could not audit a failed read', requestId: req.id, action: spec.action, errorName: (e as Error).name });
    }
  }

  private rows(spec: AuditReadSpec, req: ReadingRequest, outcome: AuditOutcome, patients: Set<string>, detail?: Record<string, unknown>): AuditEntry[] {
    const id = spec.idParam ? req.params?.[spec.idParam] : undefined;
    const base: AuditEntry = {
      action: spec.action,
      outcome,
      actor: req.user?.fhirUser ?? null,
      actorRole: req.user?.role ?? null,
      resourceType: spec.resourceType,
      resourceId: typeof id === 'string' ? id.slice(0, 200) : null,
      requestId: req.id ?? null,
      correlationId: req.correlationId ?? null,
      detail: detail ?? null,
    };
    return patients.size ? [...patients].map((patientId) => ({ ...base, patientId })) : [{ ...base, patientId: null }];
  }
}
