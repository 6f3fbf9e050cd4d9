import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { AttendanceController } from './attendance/attendance.controller.js';
import { RecordAttendanceService } from './attendance/record-attendance.service.js';
import { CatalogueService } from './catalogue/catalogue.service.js';
import { ProgramsController } from './catalogue/programs.controller.js';
import { AppointmentWriteBack } from './cohorts/appointment-write-back.js';
import { CohortsController, SessionsController } from './cohorts/cohorts.controller.js';
import { CohortsService } from './cohorts/cohorts.service.js';
import { SessionsService } from './cohorts/sessions.service.js';
import { CarePlanWrite } from './enrolments/care-plan-write.js';
import { CompleteEnrolmentService } from './enrolments/complete-enrolment.service.js';
import { CompletionCheck } from './enrolments/completion-check.js';
import { EnrolParticipantService } from './enrolments/enrol-participant.service.js';
import { EnrolmentTimepoints } from './enrolments/enrolment-timepoints.js';
import { EnrolmentQueries } from './enrolments/enrolment.queries.js';
import { EnrolmentsController } from './enrolments/enrolments.controller.js';
import { QuestionnaireCompletion } from './enrolments/questionnaire-completion.js';
import { WithdrawEnrolmentService } from './enrolments/withdraw-enrolment.service.js';
import { ReferPatientService } from './referrals/refer-patient.service.js';
import { ReferralWriteBack } from './referrals/referral-write-back.js';
import { ReferralQueries } from './referrals/referral.queries.js';
import { ReferralsController } from './referrals/referrals.controller.js';
import { ScreenReferralService } from './referrals/screen-referral.service.js';

/** The adapters of programs' ports, named by the app module (which sees both sides) so programs imports no questionnaires code. */
export interface ProgramsPortAdapters {
  /** The module that provides and exports the adapters (QuestionnairesModule). */
  imports: NonNullable<ModuleMetadata['imports']>;
  /**
   * Due forms per enrolment (TimepointsService). Not typed as the port: the adapter parses its input at run time
   * and narrows `timepoint` to its own codes, which the port leaves a string.
   */
  timepoints: Type;
  /** The post-questionnaire part of completion (PostQuestionnaireCompletion). */
  completion: Type<QuestionnaireCompletion>;
}

/**
 * The wellness program's daily work: catalogue, referrals, cohorts and sessions, enrolments, attendance.
 * Writes to the EHR go through the outbox (FhirModule, global) in the same transaction as our rows.
 */
@Module({
  controllers: [ProgramsController, ReferralsController, CohortsController, SessionsController, EnrolmentsController, AttendanceController],
  providers: [
    CatalogueService,
    ReferralWriteBack,
    ReferPatientService,
    ScreenReferralService,
    ReferralQueries,
    AppointmentWriteBack,
    CohortsService,
    SessionsService,
    CarePlanWrite,
    CompletionCheck,
    EnrolmentQueries,
    EnrolParticipantService,
    WithdrawEnrolmentService,
    CompleteEnrolmentService,
    RecordAttendanceService,
  ],
  exports: [CatalogueService, EnrolmentQueries],
})
export class ProgramsModule {
  /** The module with its ports bound: due forms per enrolment, and the post-questionnaire part of completion. */
  static register(adapters: ProgramsPortAdapters): DynamicModule {
    return {
      module: ProgramsModule,
      imports: adapters.imports,
      providers: [
        { provide: EnrolmentTimepoints, useExisting: adapters.timepoints },
        { provide: QuestionnaireCompletion, useExisting: adapters.completion },
      ],
      exports: [QuestionnaireCompletion],
    };
  }
}
