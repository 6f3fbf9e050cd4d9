import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';
import { RefusalAudit } from '../common/errors/refusal-audit.port.js';
import { AuditedRefusals } from './refusal-audit.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditController],
  // Every read of patient-level data declared with @AuditRead is audited by the interceptor the decorator attaches,
  // whichever module serves it (global module: its AuditService resolves anywhere). The error filter (common)
  // audits refusals through its RefusalAudit port, provided here.
  providers: [AuditService, { provide: RefusalAudit, useClass: AuditedRefusals }],
  exports: [AuditService, RefusalAudit],
})
export class AuditModule {}
