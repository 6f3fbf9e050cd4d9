import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { reportsConfig } from '../config/reports.config.js';
import { securityConfig, type SecurityConfig } from '../config/security.config.js';
import { OutcomeDataPort } from './outcome-data.port.js';
import { SqlOutcomeData } from './outcome-data.sql.js';
import { OutcomeExportService } from './outcome-export.service.js';
import { OutcomeReportController } from './outcome-report.controller.js';
import { OutcomeReportService } from './outcome-report.service.js';
import { derivePseudonymKey, Pseudonymizer } from './pseudonym.js';

/** Report building and audited export, without HTTP: what the CLI runs. Needs the database and audit modules. */
@Module({
  imports: [ConfigModule.forFeature(reportsConfig)],
  providers: [
    {
      provide: Pseudonymizer,
      inject: [securityConfig.KEY],
      useFactory: (security: SecurityConfig) => new Pseudonymizer(derivePseudonymKey(security.encryptionKeys[0].key)),
    },
    { provide: OutcomeDataPort, useClass: SqlOutcomeData },
    OutcomeReportService,
    OutcomeExportService,
  ],
  exports: [OutcomeReportService, OutcomeExportService, OutcomeDataPort],
})
export class ReportsCoreModule {}

@Module({
  imports: [ReportsCoreModule],
  controllers: [OutcomeReportController],
})
export class ReportsModule {}
