import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity.js';
import { AuditController } from './audit.controller.js';
import { AuditReadInterceptor } from './audit-read.interceptor.js';
import { AuditService } from './audit.service.js';
import { RefusalAudit } from '../common/errors/refusal-audit.port.js';
import { AuditedRefusals } from './refusal-audit.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditController],
  // Every read of patient-level data declared with @AuditRead is audited here, whichever module serves it.
  // The error filter (common) audits refusals through its RefusalAudit port, provided here.
  providers: [AuditService, { provide: APP_INTERCEPTOR, useClass: AuditReadInterceptor }, { provide: RefusalAudit, useClass: AuditedRefusals }],
  exports: [AuditService, RefusalAudit],
})
export class AuditModule {}
