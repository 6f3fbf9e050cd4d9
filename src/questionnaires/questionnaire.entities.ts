import { QuestionnaireDefinition } from './definitions/questionnaire-definition.entity.js';
import { QuestionnaireResponseVersion } from './responses/questionnaire-response-version.entity.js';
import { QuestionnaireResponse } from './responses/questionnaire-response.entity.js';
import { QuestionnaireScore } from './responses/questionnaire-score.entity.js';
import { ProgramLeadClinician } from './safety/program-lead-clinician.entity.js';
import { SafetyAlert } from './safety/safety-alert.entity.js';
import { QuestionnaireAssignment } from './timepoints/questionnaire-assignment.entity.js';

/** The questionnaires module's tables (migrations 1795000005000 and 1795000007000), for src/entities.ts and the module. */
export const questionnaireEntities = [
  QuestionnaireDefinition,
  QuestionnaireAssignment,
  QuestionnaireResponse,
  QuestionnaireResponseVersion,
  QuestionnaireScore,
  SafetyAlert,
  ProgramLeadClinician,
];
