import { Injectable } from '@nestjs/common';
import { RefusalAudit, type Refusal } from '../common/errors/refusal-audit.port.js';
import { AuditService } from './audit.service.js';

/** The error filter's refusals (common's RefusalAudit port), written to the audit log as `access.denied`. */
@Injectable()
export class AuditedRefusals extends RefusalAudit {
  constructor(private readonly audit: AuditService) {
    super();
  }

  record(r: Refusal): Promise<void> {
    return this.audit.record({
      action: 'access.denied',
      outcome: 'denied',
      actor: r.actor,
      actorRole: r.actorRole,
      patientId: r.patientId,
      requestId: r.requestId,
      detail: { reason: r.reason, method: r.method, route: r.route },
    });
  }
}
