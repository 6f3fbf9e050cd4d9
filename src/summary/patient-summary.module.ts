import { Module } from '@nestjs/common';
import { QuestionnairesModule } from '../questionnaires/questionnaires.module.js';
import { PatientSummaryController } from './patient-summary.controller.js';
import { PatientSummaryService } from './patient-summary.service.js';

/**
 * The clinician's note summary of one patient (GET /api/patients/{id}/summary). Reads only: the programs' and
 * questionnaires' read-model views, the instrument library and the open safety alerts through their module.
 */
@Module({
  imports: [QuestionnairesModule],
  controllers: [PatientSummaryController],
  providers: [PatientSummaryService],
})
export class PatientSummaryModule {}
