import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from './audit/audit.module.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { RateLimitCounts } from './common/http/rate-limit.js';
import { LoggingModule } from './common/logging.module.js';
import { databaseConfig, fhirConfig, httpConfig, securityConfig } from './config/index.js';
import { DatabaseModule } from './database/database.module.js';
import { entities } from './entities.js';
import { FhirModule } from './fhir/fhir.module.js';
import { HealthModule } from './health/health.module.js';
import { SmartModule } from './smart/smart.module.js';
import { SandboxModule } from './sandbox/sandbox.module.js';
import { ProgramsModule } from './programs/programs.module.js';
import { QuestionnairesModule } from './questionnaires/questionnaires.module.js';
import { PostQuestionnaireCompletion } from './questionnaires/timepoints/post-questionnaire-completion.js';
import { TimepointsService } from './questionnaires/timepoints/timepoints.service.js';
import { preferredLanguage } from './questionnaires/engine/translations/patient-language.js';
import { ReportsModule } from './reports/reports.module.js';
import { PatientSummaryModule } from './summary/patient-summary.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [databaseConfig, httpConfig, securityConfig, fhirConfig],
    }),
    LoggingModule,
    DatabaseModule.forRoot(entities),
    AuditModule,
    HealthModule,
    FhirModule,
    // The banner's preferred language is the questionnaires' rule (the languages they are translated into).
    SmartModule.register({ patientLanguage: { preferred: preferredLanguage } }),
    SandboxModule.register(),
    // Programs' ports, answered by the questionnaires module: wired here so neither module imports the other's.
    ProgramsModule.register({ imports: [QuestionnairesModule], timepoints: TimepointsService, completion: PostQuestionnaireCompletion }),
    QuestionnairesModule,
    ReportsModule,
    PatientSummaryModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    RateLimitCounts,
  ],
})
export class AppModule {}
