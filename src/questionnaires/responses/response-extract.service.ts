import { Injectable } from '@nestjs/common';
import type { Bundle } from 'fhir/r4.js';
import { DataSource, LessThan } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error.js';
import { referenceTo } from '../../fhir/business-identifier.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { QuestionnairesService } from '../definitions/questionnaires.service.js';
import { taskFactsOf } from '../timepoints/assignment-facts.js';
import { questionnaireTask } from '../timepoints/assignment.fhir.js';
import { QuestionnaireAssignment } from '../timepoints/questionnaire-assignment.entity.js';
import { ReadResponsesService } from './read-responses.service.js';
import { QuestionnaireResponseVersion } from './questionnaire-response-version.entity.js';
import { observationsToWrite } from './response-extract.js';
import type { Caller } from './response-request.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { responseWriteBackBundle, responseWriteKey } from './response.fhir.js';

/**
 * SDC `$extract` of a stored response: the transaction Bundle its current version is written to the EHR as (the
 * QuestionnaireResponse, the Observations its Questionnaire's extraction yields, for a first submission the due
 * form's Task closed, for an amendment the Observations withdrawn since the previous version, the Provenance),
 * built by the same code as the write-back and from the same facts, so it equals what was queued. Reads only.
 * The queued Bundle itself when the queue still holds it: a version queued by an older release (another Provenance
 * identifier rule, say) is answered as it was, and will be, written, not as this release would build it today.
 */
@Injectable()
export class ResponseExtract {
  constructor(
    private readonly ds: DataSource,
    private readonly responses: ReadResponsesService,
    private readonly questionnaires: QuestionnairesService,
    private readonly outbox: OutboxService,
  ) {}

  async bundle(c: Caller, id: string): Promise<Bundle> {
    const row = await this.responses.get(c, id);
    if (row.status !== 'completed' && row.status !== 'amended') {
      throw new DomainError('QUESTIONNAIRES.NOT_COMPLETED', 'Only a submitted response is extracted: this one is a draft.', [
        { message: `status is ${row.status}`, expression: 'QuestionnaireResponse.status', code: 'business-rule' },
      ]);
    }
    const queued = await this.outbox.queuedBundle(row.registrationId, responseWriteKey(row.id, row.version));
    if (queued) return queued;
    const definition = await this.questionnaires.find(row.registrationId, row.questionnaire);
    if (!definition) throw new DomainError('QUESTIONNAIRES.UNKNOWN_QUESTIONNAIRE', `Unknown questionnaire version ${row.questionnaire}`);
    const amendment = row.status === 'amended';
    const previous = amendment
      ? await this.ds.getRepository(QuestionnaireResponseVersion).findOne({ where: { responseId: row.id, version: LessThan(row.version) }, order: { version: 'DESC' } })
      : null;
    const assignment = !amendment && row.assignmentId ? await this.ds.getRepository(QuestionnaireAssignment).findOneBy({ id: row.assignmentId }) : null;
    const { observations, withdrawn } = observationsToWrite(definition, row.resource, previous?.resource ?? null);
    return responseWriteBackBundle({
      responseId: row.id, response: row.resource, patientId: row.patientId, observations, withdrawn, amendment,
      ...(assignment
        ? { completedTask: { assignmentId: assignment.id, task: questionnaireTask(taskFactsOf(assignment, definition.questionnaire.title), 'completed', referenceTo(writeBackIds.response(row.id))) } }
        : {}),
      recorded: row.updatedAt.toISOString(),
    });
  }
}
