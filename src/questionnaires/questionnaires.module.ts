import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QuestionnairesController } from './definitions/questionnaires.controller.js';
import { QuestionnairesService } from './definitions/questionnaires.service.js';
import { questionnaireEntities } from './questionnaire.entities.js';
import { ResponseSearch } from './responses/response-search.js';
import { ResponseWriter } from './responses/response-writer.js';
import { ResponsesController } from './responses/responses.controller.js';
import { ResponsesService } from './responses/responses.service.js';
import { AlertsController } from './safety/alerts.controller.js';
import { SafetyService } from './safety/safety.service.js';
import { AssignmentsController } from './timepoints/assignments.controller.js';
import { AssignmentsService } from './timepoints/assignments.service.js';
import { PostQuestionnaireCompletion } from './timepoints/post-questionnaire-completion.js';
import { TimepointsService } from './timepoints/timepoints.service.js';

/**
 * Outcome questionnaires over the pure engine beside it: the instrument library per clinic, drafts and
 * submissions, scores, safety alerts, due forms. The programs module imports it for TimepointsService
 * (scheduleForEnrolment / cancelForEnrolment) and PostQuestionnaireCompletion; reports read QuestionnairesService
 * (score metadata) and the questionnaire_score table.
 */
@Module({
  imports: [TypeOrmModule.forFeature(questionnaireEntities)],
  controllers: [QuestionnairesController, ResponsesController, AlertsController, AssignmentsController],
  providers: [QuestionnairesService, ResponsesService, ResponseSearch, ResponseWriter, SafetyService, AssignmentsService, TimepointsService, PostQuestionnaireCompletion],
  exports: [QuestionnairesService, TimepointsService, PostQuestionnaireCompletion],
})
export class QuestionnairesModule {}
