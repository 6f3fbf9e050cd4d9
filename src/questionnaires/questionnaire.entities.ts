import { QuestionnaireDefinition } from './definitions/questionnaire-definition.entity.js';
import { QuestionnaireResponseVersion } from './responses/questionnaire-response-version.entity.js';
import { QuestionnaireResponse } from './responses/questionnaire-response.entity.js';
import { QuestionnaireScore } from './responses/questionnaire-score.entity.js';
import { SafetyAlert } from './safety/safety-alert.entity.js';
import { QuestionnaireAssignment } from './timepoints/questionnaire-assignment.entity.js';

/** The questionnaires module's tables (migration 1795000005000), for src/database/entities.ts and the module. */
export const questionnaireEntities = [
  QuestionnaireDefinition,
  QuestionnaireAssignment,
  QuestionnaireResponse,
  QuestionnaireResponseVersion,
  QuestionnaireScore,
  SafetyAlert,
];
