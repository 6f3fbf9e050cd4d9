import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { safetyConfig } from '../config/safety.config.js';
import { QuestionnairesController } from './definitions/questionnaires.controller.js';
import { PopulateController } from './definitions/populate.controller.js';
import { PopulateService } from './definitions/populate.service.js';
import { PopulationSandbox } from './definitions/population-sandbox.js';
import { FhirPathDeadline } from './definitions/fhirpath-deadline.js';
import { QuestionnairesService } from './definitions/questionnaires.service.js';
import { questionnaireEntities } from './questionnaire.entities.js';
import { ResponseExtractController } from './responses/response-extract.controller.js';
import { ResponseExtract } from './responses/response-extract.service.js';
import { ReadResponsesService } from './responses/read-responses.service.js';
import { ResponsesController } from './responses/responses.controller.js';
import { SaveResponseService } from './responses/save-response.service.js';
import { AlertEscalationWorker } from './safety/alert-escalation.worker.js';
import { AlertsController } from './safety/alerts.controller.js';
import { LeadCliniciansController } from './safety/lead-clinicians.controller.js';
import { LeadClinicians } from './safety/lead-clinicians.service.js';
import { SafetyService } from './safety/safety.service.js';
import { AssignmentsController } from './timepoints/assignments.controller.js';
import { AssignmentsService } from './timepoints/assignments.service.js';
import { PostQuestionnaireCompletion } from './timepoints/post-questionnaire-completion.js';
import { TimepointsService } from './timepoints/timepoints.service.js';

/**
 * Outcome questionnaires over the pure engine in engine/: the instrument library per clinic, drafts and
 * submissions, scores, safety alerts (and their escalation), due forms. The app module binds the programs module's ports
 * to TimepointsService (scheduleForEnrolment / cancelForEnrolment) and PostQuestionnaireCompletion; reports read QuestionnairesService
 * (score metadata) and the questionnaire_score table; the note summary (src/summary) reads QuestionnairesService and
 * SafetyService (open alerts).
 */
@Module({
  imports: [TypeOrmModule.forFeature(questionnaireEntities), ConfigModule.forFeature(safetyConfig)],
  controllers: [QuestionnairesController, PopulateController, ResponsesController, ResponseExtractController, LeadCliniciansController, AlertsController, AssignmentsController],
  providers: [
    QuestionnairesService, PopulateService, PopulationSandbox, FhirPathDeadline, SaveResponseService, ReadResponsesService, ResponseExtract, SafetyService, LeadClinicians, AlertEscalationWorker,
    AssignmentsService, TimepointsService, PostQuestionnaireCompletion,
  ],
  exports: [QuestionnairesService, TimepointsService, PostQuestionnaireCompletion, SafetyService],
})
export class QuestionnairesModule {}
