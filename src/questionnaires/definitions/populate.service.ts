import { Injectable } from '@nestjs/common';
import type { FhirResource, OperationOutcome, Parameters } from 'fhir/r4.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { ref } from '../../fhir/references.js';
import { ContextResources } from '../../smart/context/context-resources.service.js';
import { canonicalOf } from '../engine/canonical.js';
import { launchContextsOf, populateResponse, populates, type PopulationIssue } from '../engine/population.js';
import { ANSWER_MODE_EXTENSION, type AnswerMode } from '../questionnaire.vocabulary.js';
import { resolveAnswering } from '../responses/answering.rules.js';
import { PopulationSandbox } from './population-sandbox.js';
import { isBuiltIn } from './questionnaire-views.js';
import { QuestionnairesService } from './questionnaires.service.js';

export interface PopulateRequest {
  /** Slug or url-encoded canonical, as `GET /api/questionnaires/{id}`. */
  id: string;
  version?: string;
  /** `Patient/<id>` or `RelatedPerson/<id>`; defaults to the patient in context (a patient: themself). */
  subject?: string;
  mode?: AnswerMode;
}

/**
 * SDC `$populate` for the form filler: a new response's first answers, pre-filled on the server from the EHR. The
 * launch contexts the Questionnaire declares are read with the user's own token — `patient` the response's
 * patient, `user` the signed-in fhirUser, `encounter` the launch's encounter — and its initialExpressions run
 * over them (engine/population.ts). Nothing is stored: the player shows the answers, the person changes what is
 * wrong, and the first save is an ordinary draft. Who may start which response is checked as for a save.
 */
@Injectable()
export class PopulateService {
  constructor(
    private readonly questionnaires: QuestionnairesService,
    private readonly context: ContextResources,
    private readonly sandbox: PopulationSandbox,
  ) {}

  async populate(user: SessionUser, r: PopulateRequest): Promise<Parameters> {
    const q = await this.questionnaires.get(user.registrationId, r.id, r.version);
    const subject = r.subject ?? (user.role === 'patient' ? user.fhirUser : `Patient/${user.patientId ?? ''}`);
    const answering = resolveAnswering(user, subject, r.mode);
    const issues: PopulationIssue[] = [];
    // A Map, not an object: a form's launch context named `constructor` or `__proto__` must find nothing.
    const where = new Map<string, string | null>([['patient', `Patient/${answering.patientId}`], ['user', user.fhirUser], ['encounter', user.encounterId ? `Encounter/${user.encounterId}` : null]]);
    // A form without initialExpression or initial values needs nothing from the EHR.
    const wanted = (populates(q) ? launchContextsOf(q) : []).filter((c) => {
      if (where.get(c.name)) return true;
      issues.push({ message: where.has(c.name) ? `No ${c.name} in this launch` : `Launch context ${c.name} is not supported (patient, user, encounter are)` });
      return false;
    });
    const read = await this.context.read(user, wanted.map((c) => where.get(c.name) as string));
    const contexts: Record<string, FhirResource> = {};
    wanted.forEach((c, i) => {
      const got = read[i];
      if ('resource' in got) contexts[c.name] = got.resource;
      else issues.push({ message: `Launch context ${c.name}: ${got.missing}` });
    });
    const base = { questionnaire: canonicalOf(q), subject: ref(subject), extension: [{ url: ANSWER_MODE_EXTENSION, valueCode: answering.mode }] };
    // A clinic's imported form runs its own FHIRPath: bounded, in the sandbox's worker. The built-ins' is ours.
    const population = isBuiltIn(canonicalOf(q)) ? populateResponse(q, contexts, base) : await this.sandbox.populate(q, contexts, base);
    issues.push(...population.issues);
    const outcome: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: issues.length
        ? issues.map((i) => ({ severity: 'warning' as const, code: 'incomplete' as const, diagnostics: i.message, ...(i.linkId ? { expression: [`QuestionnaireResponse.item.where(linkId='${i.linkId}')`] } : {}) }))
        : [{ severity: 'information', code: 'informational', diagnostics: `Pre-filled ${population.filled.length} item(s)` }],
    };
    // SDC's $populate output parameters: the response, and the issues met.
    return { resourceType: 'Parameters', parameter: [{ name: 'response', resource: population.response }, { name: 'issues', resource: outcome }] };
  }
}
