import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Questionnaire, Task } from 'fhir/r4.js';
import type { Repository } from 'typeorm';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { FhirGateway } from '../../fhir/fhir-gateway.js';
import { AppSession } from '../session/app-session.entity.js';
import { UserFhirAccess } from '../session/user-fhir-access.service.js';
import { CLOSED_TASK_STATUSES } from '../../fhir/sdc-task.js';
import { formRequest, patientOfTask, questionnaireOfTask, type LaunchContextItem } from './launch-context.js';
import { LaunchTasks } from './launch-tasks.js';
import { taskSubstance } from '../../fhir/task-completion.js';

/** The form a launch asked for: its canonical, and the Task that asked for it when one did. */
export interface LaunchForm {
  canonical: string;
  /** How the EHR named it: a canonical in fhirContext, a Questionnaire it holds, or a Task asking for one. */
  source: 'canonical' | 'Questionnaire' | 'Task';
  task: string | null;
  /**
   * Present when the Task is `draft` or `on-hold` (not ready to be done): the form opens all the same, but the session
   * does not remember the Task, so nothing completes it.
   */
  taskNotReady?: 'draft' | 'on-hold';
}

/**
 * Opens the app on the form the EHR launched it for (SMART App Launch 2.2 `fhirContext`). A Task is read from the
 * EHR with the user's own token and must be for the patient in context; whether the canonical is a form this
 * clinic has is for the app to say (it lists the library), and the server refuses an unknown one anyway.
 */
@Injectable()
export class LaunchFormService {
  constructor(
    @InjectRepository(AppSession) private readonly sessions: Repository<AppSession>,
    private readonly fhir: FhirGateway,
    private readonly access: UserFhirAccess,
    private readonly tasks: LaunchTasks,
  ) {}

  /** The session's fhirContext as stored at launch (normalised in the callback), or null. */
  async context(user: SessionUser): Promise<LaunchContextItem[] | null> {
    const row = await this.sessions.findOne({ where: { idHash: user.sessionId }, select: { idHash: true, fhirContext: true } });
    return (row?.fhirContext as LaunchContextItem[] | null | undefined) ?? null;
  }

  /** `onEhrRead` is called before the first read from the EHR (a Task, a Questionnaire): a canonical reads nothing. */
  async resolve(user: SessionUser, onEhrRead?: () => void): Promise<LaunchForm | null> {
    const asked = formRequest(await this.context(user));
    if (!asked) return null;
    if (asked.kind === 'canonical') return { canonical: asked.canonical, source: 'canonical', task: null };
    if (!user.patientId) throw new DomainError('AUTH.PATIENT_NOT_IN_CONTEXT', 'The EHR opened a form without a patient in context; open the patient in the EHR first.');
    onEhrRead?.();
    const conn = await this.access.connection(user);
    if (asked.kind === 'Questionnaire') {
      return { canonical: canonicalOf(await this.fhir.read<Questionnaire>(conn, 'Questionnaire', asked.id), asked.id), source: 'Questionnaire', task: null };
    }
    const task = await this.fhir.read<Task>(conn, 'Task', asked.id);
    if (patientOfTask(task) !== user.patientId) {
      const refusal = new DomainError('AUTH.PATIENT_NOT_IN_CONTEXT', 'The Task the EHR sent is not for the patient in context; the form was not opened.');
      refusal.patientId = patientOfTask(task);
      throw refusal;
    }
    if (CLOSED_TASK_STATUSES.includes(task.status)) {
      throw new DomainError('QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE', `The Task the EHR sent is ${task.status}, so there is nothing left to answer; the form was not opened.`);
    }
    const wanted = questionnaireOfTask(task);
    if (!wanted) throw new DomainError('COMMON.NOT_FOUND', 'The Task the EHR sent asks for no questionnaire (no Task.input canonical, no Questionnaire focus).');
    const canonical = 'canonical' in wanted ? wanted.canonical : canonicalOf(await this.fhir.read<Questionnaire>(conn, 'Questionnaire', wanted.questionnaireId), wanted.questionnaireId);
    // A Task still being written (draft) or paused (on-hold) is not the EHR's request yet: the clinician may answer the
    // form, but completing a Task nobody released would override the EHR's workflow, so it is not remembered.
    // (Forgotten too if an earlier read, before it was paused, remembered it.)
    if (task.status === 'draft' || task.status === 'on-hold') {
      await this.tasks.remember(user.sessionId, null);
      return { canonical, source: 'Task', task: `Task/${asked.id}`, taskNotReady: task.status };
    }
    // Remembered with the session: a response to this form submitted in it completes the Task (write-back).
    await this.tasks.remember(user.sessionId, { id: asked.id, versionId: task.meta?.versionId ?? null, form: canonical, asks: wanted, substance: taskSubstance(task) });
    return { canonical, source: 'Task', task: `Task/${asked.id}` };
  }
}

function canonicalOf(q: Questionnaire, id: string): string {
  if (!q.url) throw new DomainError('COMMON.NOT_FOUND', `The EHR's Questionnaire/${id} has no canonical url, so it cannot be matched to a form of this program.`);
  return q.version ? `${q.url}|${q.version}` : q.url;
}
