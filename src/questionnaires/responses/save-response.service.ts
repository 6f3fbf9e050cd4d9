import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, auditInsertSql, type AuditEntry } from '../../audit/audit.service.js';
import { DomainError, type IssueDetail } from '../../common/errors/domain-error.js';
import { safetyConfig, type SafetyConfig } from '../../config/safety.config.js';
import { referenceTo } from '../../fhir/business-identifier.js';
import { writeBackIds } from '../../fhir/identifiers.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { OutboxService, outboxInsertSql, provenanceActor, type EnqueueItem } from '../../fhir/outbox.service.js';
import { TASK_COMPLETION_KIND, taskCompletionBundle } from '../../fhir/task-completion.js';
import { LaunchTasks, TAKE_COLUMNS, takeSql, type TakenTask, type TakeRow } from '../../smart/launch/launch-tasks.js';
import { QuestionnairesService } from '../definitions/questionnaires.service.js';
import { assessResponse } from '../engine/assessment.js';
import { canonicalResponse } from '../engine/form-codings.js';
import { canonicalOf, parseCanonical } from '../engine/canonical.js';
import type { InstrumentDefinition } from '../engine/instrument.types.js';
import { isPrecompiled, precompileForm } from '../engine/precompile.js';
import { availableLanguages, responseLanguageOf, withBuiltInTranslations } from '../engine/translations/translate.js';
import { validateResponse } from '../engine/validation.js';
import { hasErrors, issueDetails } from '../issue-details.js';
import type { AlertView } from '../safety/alert-views.js';
import { crisisMessageFor, crisisMessagesOf, type CrisisMessage } from '../safety/crisis-message.js';
import { raisesNone, SafetyService, type RaiseInput } from '../safety/safety.service.js';
import { AssignmentsService } from '../timepoints/assignments.service.js';
import { QuestionnaireAssignment } from '../timepoints/questionnaire-assignment.entity.js';
import { resolveAnswering, type Answering } from './answering.rules.js';
import { encounterFor, type SentEncounter } from './encounter.rules.js';
import { insertSql, OneStatement } from './insert-sql.js';
import { QuestionnaireResponseVersion } from './questionnaire-response-version.entity.js';
import { QuestionnaireResponse } from './questionnaire-response.entity.js';
import { QuestionnaireScore } from './questionnaire-score.entity.js';
import { ReadResponsesService } from './read-responses.service.js';
import { responseDocument } from './response-document.js';
import { observationsToWrite } from './response-extract.js';
import type { Caller, ResponseInput, ResponseQuery } from './response-request.js';
import { responseWriteBackBundle, responseWriteKey } from './response.fhir.js';
import { scoreRows, scoreViewOf, type ScoreView } from './score-rows.js';
import { boundedWithoutDeadline } from '../definitions/bounded-work.js';
import { FhirPathDeadline } from '../definitions/fhirpath-deadline.js';

export interface SaveResult {
  row: QuestionnaireResponse;
  scores: ScoreView[];
  alerts: AlertView[];
  /**
   * The clinic's crisis information when the answers trigger a crisis rule (PHQ-9 item 9 > 0), draft or not, in the
   * response's language when the clinic has a text in it (crisis-message.ts); else null.
   */
  safetyMessage: CrisisMessage | null;
  /** With it, the same information in every language the clinic has a text in (crisis-message.ts); else empty. */
  safetyMessages: CrisisMessage[];
}

/** One save, as decided by create or update inside their transaction. */
interface SaveCommand extends Caller {
  definition: InstrumentDefinition;
  answering: Answering;
  status: 'in-progress' | 'completed' | 'amended';
  items: unknown;
  /** The language the answers were given in; undefined keeps the stored one (a new response: the form's own). */
  language: string | undefined;
  encounter: SentEncounter; // as sent: encounterFor decides what is recorded
  /** The current row, locked (null for a new response). */
  existing: QuestionnaireResponse | null;
  /** The due form it answers, locked. */
  assignment: QuestionnaireAssignment | null;
}

type Scores = ReturnType<typeof assessResponse>['scores'];

/** A score row a resave replaces (questionnaire_score columns). */
interface EarlierScore {
  link_id: string;
  code_system: string;
  code: string;
  value: number | null;
}

const AT_QUESTIONNAIRE = 'QuestionnaireResponse.questionnaire';
const AT_STATUS = 'QuestionnaireResponse.status';

function invalid(message: string, expression: string, code: IssueDetail['code'] = 'invalid'): DomainError {
  return new DomainError('QUESTIONNAIRES.INVALID_RESPONSE', message, [{ message, expression, code }]);
}

/**
 * Saving a response, the whole use case: start → draft (`in-progress`, resumable later by anyone allowed) → submit
 * (`completed`) → amend (`amended`). Each request is one transaction (on any refusal nothing is stored): decide who
 * answers and for which due form (answering.rules.ts), validate strictly against the exact Questionnaire version and
 * score on the server (the engine), store the row, raise the safety alerts the answers need (drafts too) and answer
 * crisis information; a submission also freezes the version, replaces the score rows, closes the due form and
 * enqueues the write-back Bundle (response.fhir.ts) in the same transaction. Drafts are never written back.
 */
@Injectable()
export class SaveResponseService {
  constructor(
    private readonly ds: DataSource,
    private readonly questionnaires: QuestionnairesService,
    private readonly assignments: AssignmentsService,
    private readonly reader: ReadResponsesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly safety: SafetyService,
    private readonly launchTasks: LaunchTasks,
    @Inject(safetyConfig.KEY) private readonly safetySettings: SafetyConfig,
    private readonly fhirpath: FhirPathDeadline,
  ) {}

  /** A new response: a draft (`in-progress`) or a direct submission (`completed`). */
  async create(c: Caller, input: ResponseInput, query: ResponseQuery): Promise<SaveResult> {
    if (input.status !== 'in-progress' && input.status !== 'completed') {
      throw invalid('A new response is in-progress (a draft) or completed', AT_STATUS, 'value');
    }
    const status = input.status;
    const definition = await this.definitionOf(c.user.registrationId, input.questionnaire);
    return this.ds.transaction(async (m) => {
      const assignment = query.assignment ? await this.assignments.claim(m, c.user.registrationId, query.assignment) : null;
      const subject = input.subject ?? (assignment ? `${assignment.subjectType}/${assignment.subjectId}` : undefined);
      const answering = resolveAnswering(c.user, subject, query.mode);
      if (assignment && assignment.patientId !== answering.patientId) {
        // A due form is someone's: it can only be answered in that patient's context.
        throw new DomainError('AUTH.PATIENT_NOT_IN_CONTEXT', 'This form belongs to a patient outside your context.');
      }
      if (assignment) {
        if (subject !== `${assignment.subjectType}/${assignment.subjectId}`) throw invalid('The subject is not the one this form is assigned to', 'QuestionnaireResponse.subject');
        if (input.questionnaire !== assignment.questionnaire) throw invalid(`This form asks for ${assignment.questionnaire}`, AT_QUESTIONNAIRE, 'value');
      }
      return this.save(m, { ...c, definition, answering, status, items: input.items, language: input.language, encounter: input.encounter, existing: null, assignment });
    });
  }

  /** Save a draft again, submit it, or amend a submitted response, at the version the client last read. */
  async update(c: Caller, id: string, input: ResponseInput, expected: number, query: ResponseQuery): Promise<SaveResult> {
    const current = await this.reader.get(c, id);
    if (input.questionnaire !== undefined && input.questionnaire !== current.questionnaire) {
      throw invalid(`This response answers ${current.questionnaire}; start a new response for another version`, AT_QUESTIONNAIRE, 'value');
    }
    const definition = await this.definitionOf(c.user.registrationId, current.questionnaire);
    return this.ds.transaction(async (m) => {
      const existing = await m.getRepository(QuestionnaireResponse).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (existing.version !== expected) {
        throw new DomainError('QUESTIONNAIRES.VERSION_CONFLICT', `This response is at version ${existing.version}, not ${expected}; reload it.`);
      }
      const status = nextStatus(existing.status, input.status);
      const subject = `${existing.subjectType}/${existing.subjectId}`;
      if (input.subject !== undefined && input.subject !== subject) throw invalid('The subject of a response cannot change', 'QuestionnaireResponse.subject');
      const answering = resolveAnswering(c.user, subject, query.mode ?? (existing.author === c.user.fhirUser ? existing.answerMode : undefined));
      const assignment = await this.assignmentOf(m, existing, status);
      return this.save(m, { ...c, definition, answering, status, items: input.items, language: input.language, encounter: input.encounter, existing, assignment });
    });
  }

  /** The exact version the response names; a bare url or an unknown version is a per-item error. */
  private async definitionOf(registrationId: string, canonical: string | undefined): Promise<InstrumentDefinition> {
    if (!canonical || parseCanonical(canonical).version === undefined) {
      throw invalid('questionnaire must name the exact version answered: <url>|<version>', AT_QUESTIONNAIRE, 'required');
    }
    const definition = await this.questionnaires.find(registrationId, canonical);
    if (!definition) throw invalid(`Unknown questionnaire version ${canonical}`, AT_QUESTIONNAIRE, 'not-found');
    return definition;
  }

  /** The due form: locked and still open when a draft is saved or submitted; read only for an amendment. */
  private async assignmentOf(m: EntityManager, r: QuestionnaireResponse, status: string): Promise<QuestionnaireAssignment | null> {
    if (!r.assignmentId) return null;
    if (r.status === 'in-progress') return this.assignments.claim(m, r.registrationId, r.assignmentId, r.id);
    return status === 'amended' ? m.getRepository(QuestionnaireAssignment).findOneBy({ id: r.assignmentId }) : null;
  }

  /** The save itself, in the caller's transaction: any invalid answer throws before anything is written. */
  private async save(m: EntityManager, c: SaveCommand): Promise<SaveResult> {
    const now = new Date();
    const q = c.definition.questionnaire;
    const canonical = canonicalOf(q);
    const id = c.existing?.id ?? randomUUID();
    const version = (c.existing?.version ?? 0) + 1;
    const enrolmentId = c.assignment?.enrolmentId ?? c.existing?.enrolmentId ?? null;
    // A save that names no language keeps the stored one (responses from before issue 15 are all 'en').
    const language = c.language === undefined && c.existing ? c.existing.language : responseLanguageOf(withBuiltInTranslations(q), c.language);
    if (language === undefined) {
      const offered = availableLanguages(withBuiltInTranslations(q)).join(', ');
      const message = `${canonical} has no version in ${c.language}; it can be answered in ${offered}.`;
      throw new DomainError('QUESTIONNAIRES.INVALID_RESPONSE', message, [{ message, expression: 'QuestionnaireResponse.language', code: 'value' }]);
    }
    const encounter = encounterFor({ session: c.user, patientId: c.answering.patientId, sent: c.encounter, existing: c.existing });
    const candidate = responseDocument({ id, questionnaire: canonical, status: c.status, answering: c.answering, authored: now, enrolmentId, version, lastUpdated: now, items: c.items, language, encounter });
    // A clinic's form runs its own FHIRPath here, in the service's thread: under one deadline (422 when it overruns).
    // Its expressions are compiled first, once per form version and process, under an import's budget (which
    // bounded the same compilation when the form was imported): compiling is the form's cost, not the answers'.
    if (!isPrecompiled(c.definition)) this.fhirpath.within('The save', () => precompileForm(c.definition), this.fhirpath.importBudgetMs);
    const check = () => {
      // What a client added to the form's items and answers is refused; the rest is rebuilt as the form defines it
      // (its option Codings, its text) before it is validated, scored, stored and written back (form-codings.ts).
      const { response: canonical, foreign } = canonicalResponse(withBuiltInTranslations(q), candidate, language);
      const found = [...foreign, ...validateResponse(q, canonical)];
      return { issues: found, assessed: hasErrors(found) ? null : assessResponse(c.definition, canonical) };
    };
    // A built-in form over a small response is bounded by itself and runs directly; anything else under the deadline.
    const { issues, assessed } = boundedWithoutDeadline(c.definition, candidate) ? this.fhirpath.direct(check) : this.fhirpath.within('The save', check);
    if (hasErrors(issues) || !assessed) throw new DomainError('QUESTIONNAIRES.INVALID_RESPONSE', `The answers do not fit ${canonical}.`, issueDetails(issues));
    const { response, scores, findings } = assessed;
    const submitted = c.status !== 'in-progress';
    const a = c.answering;
    const fields = {
      questionnaire: canonical, questionnaireUrl: q.url as string, subjectType: a.subjectType, subjectId: a.subjectId, patientId: a.patientId,
      enrolmentId, assignmentId: c.assignment?.id ?? c.existing?.assignmentId ?? null, timepoint: c.assignment?.timepoint ?? c.existing?.timepoint ?? null,
      status: c.status, answerMode: a.mode, author: a.author, source: a.source, authored: now, language, resource: response, version, updatedAt: now,
      submittedAt: c.existing?.submittedAt ?? (submitted ? now : null),
    };
    const repo = m.getRepository(QuestionnaireResponse);
    // The row as stored is what is written here (no trigger or default changes it but created_at, which the INSERT
    // answers with RETURNING): it is built here rather than read back.
    let row: QuestionnaireResponse;
    if (c.existing) {
      const done = await repo.update({ id, version: c.existing.version }, fields);
      if (done.affected !== 1) throw new DomainError('QUESTIONNAIRES.VERSION_CONFLICT', 'Someone else saved this response meanwhile; reload it.');
      row = repo.merge(repo.create(c.existing), fields);
    } else {
      row = repo.create({ id, registrationId: c.user.registrationId, createdBy: c.user.fhirUser, ...fields });
    }
    // A submission replaces the score rows: the DELETE answers those that had a value (a new response has none).
    const earlier: EarlierScore[] = submitted && c.existing
      ? ((await m.query(`DELETE FROM questionnaire_score WHERE response_id = $1 RETURNING link_id, code_system, code, value`, [id])) as [EarlierScore[], number])[0].filter((e) => e.value !== null)
      : [];
    // The rows this save writes go in one statement (OneStatement): a new submission's usual case is BEGIN, this,
    // COMMIT. Each part's SQL comes from the module that owns its table.
    const write = new OneStatement();
    this.store(m, write, c, row, submitted ? scores : null);
    const amendment = submitted && c.existing !== null && c.existing.status !== 'in-progress';
    const entry = submitted ? await this.writeBack(m, c, row, earlier, amendment) : null;
    if (entry) write.add('o', outboxInsertSql(entry, write.params), ['id']);
    // A submission in the session the EHR launched on a Task for this form completes that Task (completeLaunchTask).
    const takesTask = submitted && !amendment;
    if (takesTask) write.add('t', takeSql(c.user.sessionId, { questionnaire: row.questionnaire, patientId: row.patientId }, write.params), TAKE_COLUMNS);
    // Whoever is responsible must act: the clinician who administered it, else the due form's clinician.
    const responsible = row.author.startsWith('Practitioner/') ? row.author : (c.assignment?.responsible ?? null);
    const raise: RaiseInput = {
      response: row, fresh: c.existing === null, submitted, questionnaireTitle: q.title, findings, responsible,
      actor: { fhirUser: c.user.fhirUser, role: c.user.role, requestId: c.requestId },
    };
    const audited = (alerts: number): AuditEntry => ({
      action: `questionnaire-response.${c.status === 'in-progress' ? 'save-draft' : c.status === 'amended' ? 'amend' : 'submit'}`,
      outcome: 'success', actor: c.user.fhirUser, actorRole: c.user.role, requestId: c.requestId, patientId: row.patientId,
      resourceType: 'QuestionnaireResponse', resourceId: id,
      detail: { questionnaire: canonical, version, previousVersion: c.existing?.version ?? null, answerMode: a.mode, assignmentId: row.assignmentId, alerts },
    });
    // No alert to raise (a new response on which no rule fires): its audit row joins the statement; else it follows the
    // alerts, whose number it records.
    const quiet = raisesNone(raise);
    if (quiet) write.add('a', auditInsertSql([audited(0)], write.params));
    const out = await write.run(m);
    if (!c.existing) row.createdAt = out.r_created_at as Date;
    if (entry) {
      const entryId = (out.o_id as string | null) ?? (await this.outbox.idOf(m, entry.businessKey));
      const taken = takesTask ? this.launchTasks.taken(OneStatement.part(out, 't', TAKE_COLUMNS) as TakeRow | undefined) : null;
      if (taken) await this.completeLaunchTask(m, c, row, taken, entryId, provenanceActor(entry.bundle));
    } else if (c.assignment) await this.assignments.started(m, c.assignment, c.user.fhirUser, q.title);
    const alerts: AlertView[] = quiet ? [] : await this.safety.raise(m, raise);
    // Shown at once to whoever answers, staff included: a person answering alone must never miss it. In the language
    // the answers were given in (a Spanish PHQ-9: the Spanish text), English when the clinic has no text in it. Also
    // while a crisis alert raised on this response (an earlier draft's answer, changed since, perhaps in another
    // session) is still open: the person who gave that answer sees the crisis information again, up to the last page.
    const crisisRules = new Set(c.definition.safetyRules.filter((r) => r.crisis === true).map((r) => r.id));
    const crisis = findings.some((f) => f.crisis && f.error === undefined) || alerts.some((a) => a.status === 'open' && crisisRules.has(a.ruleId));
    const safetyMessage = crisis ? crisisMessageFor(this.safetySettings, row.language) : null;
    const safetyMessages = crisis ? crisisMessagesOf(this.safetySettings) : [];
    if (!quiet) await this.audit.record(audited(alerts.length), m);
    return { row, scores: scores.map(scoreViewOf), alerts, safetyMessage, safetyMessages };
  }

  /**
   * This module's rows, as parts of the save's statement: the new response, and for a submission its frozen version
   * and its score rows.
   */
  private store(m: EntityManager, write: OneStatement, c: SaveCommand, row: QuestionnaireResponse, scores: Scores | null): void {
    if (!c.existing) {
      const { createdAt: _db, ...inserted } = row;
      write.add('r', insertSql(m, QuestionnaireResponse, [inserted], write.params, 'created_at'), ['created_at']);
    }
    if (scores) {
      const version: Partial<QuestionnaireResponseVersion> = {
        responseId: row.id, version: row.version, status: row.status as 'completed' | 'amended', answerMode: row.answerMode,
        author: row.author, source: row.source, authored: row.authored, resource: row.resource, recordedBy: c.user.fhirUser,
      };
      write.add('v', insertSql(m, QuestionnaireResponseVersion, [version], write.params));
      if (scores.length) write.add('s', insertSql(m, QuestionnaireScore, scoreRows(row, scores), write.params));
    }
  }

  /** A submission's write-back: its Bundle, as the outbox entry to enqueue; closes the due form it answers. */
  private async writeBack(m: EntityManager, c: SaveCommand, row: QuestionnaireResponse, earlier: EarlierScore[], amendment: boolean): Promise<EnqueueItem> {
    // The Questionnaire's SDC extraction decides the Observations; an amendment withdraws what the last version sent
    // and this one does not, including the scores it stored (the DELETE in save answered them) under an earlier rule.
    const earlierScores = earlier.map((e) => ({ linkId: e.link_id, codeSystem: e.code_system, code: e.code }));
    const { observations, withdrawn } = observationsToWrite(c.definition, row.resource, amendment ? (c.existing as QuestionnaireResponse).resource : null, earlierScores);
    const completedTask = c.assignment && !amendment
      ? await this.assignments.completed(m, c.assignment, referenceTo(writeBackIds.response(row.id)), c.definition.questionnaire.title)
      : undefined;
    const bundle = responseWriteBackBundle({
      responseId: row.id, response: row.resource, patientId: row.patientId, observations, withdrawn,
      amendment, ...(completedTask ? { completedTask } : {}), recorded: row.updatedAt.toISOString(),
    });
    return {
      registrationId: row.registrationId, patientKey: outboxKey.patient(row.patientId), kind: `questionnaire-response.${amendment ? 'amended' : 'completed'}`,
      businessKey: responseWriteKey(row.id, row.version), bundle,
    };
  }

  /**
   * The EHR launched the app on a Task asking for this form (SMART 2.2 fhirContext, SDC): a response to that form, for
   * the session's patient, submitted in that session, completes it — a separate outbox entry after the response's
   * own (it needs the response's id on the EHR), in this transaction; the save's statement took it from the session
   * (LaunchTasks). Task is never put in `basedOn` (R4 allows only CarePlan and ServiceRequest there): the link is the
   * Task's `output`.
   */
  private async completeLaunchTask(m: EntityManager, c: SaveCommand, row: QuestionnaireResponse, taken: TakenTask, responseEntry: string, actor: string | null): Promise<void> {
    const { task } = taken;
    if (taken.cannot) {
      // Write-back by the clinician's own token, which may not update Task: an entry could never succeed, so none is
      // enqueued; the audit log says why the EHR's Task stays open.
      await this.audit.record({
        action: 'launch-task.not-completed', outcome: 'failure', actor: c.user.fhirUser, actorRole: c.user.role, requestId: c.requestId,
        patientId: row.patientId, resourceType: 'Task', resourceId: task.id, detail: { reason: taken.cannot, responseId: row.id, form: task.form },
      }, m);
      return;
    }
    await this.outbox.enqueue(m, {
      registrationId: row.registrationId, patientKey: outboxKey.patient(row.patientId), kind: TASK_COMPLETION_KIND,
      businessKey: `task-completion:${row.id}`, bundle: taskCompletionBundle(task, row.patientId, writeBackIds.response(row.id)),
      actor, dependsOn: responseEntry,
    });
  }
}

/** draft → draft | completed; completed/amended → amended (a resent `completed` counts as an amendment). */
function nextStatus(current: string, wanted: string | undefined): 'in-progress' | 'completed' | 'amended' {
  if (current === 'in-progress' && (wanted === 'in-progress' || wanted === 'completed')) return wanted;
  if ((current === 'completed' || current === 'amended') && (wanted === 'completed' || wanted === 'amended')) return 'amended';
  throw new DomainError('QUESTIONNAIRES.ILLEGAL_TRANSITION', `A ${current} response cannot become ${wanted ?? '(no status)'}.`, [
    { message: `status ${wanted ?? '(none)'} is not allowed after ${current}`, expression: AT_STATUS, code: 'business-rule' },
  ]);
}
