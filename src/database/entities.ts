import { AuditEvent } from '../audit/audit-event.entity.js';

/** Every entity of the service, listed as classes (ESM cannot glob-load them). */
export const entities = [AuditEvent];
