import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { answersForm } from '../../fhir/sdc-task.js';
import type { LaunchTask } from '../../fhir/task-completion.js';
import { AppSession } from '../session/app-session.entity.js';

/**
 * The EHR's Task a launch named (SMART 2.2 fhirContext, SDC's pattern), kept with the session from the moment the
 * app opens the form it asks for until a response to that form is submitted in that session: that response, and
 * only that one, completes the Task (the questionnaires module enqueues the completion with the response).
 */
@Injectable()
export class LaunchTasks {
  constructor(@InjectRepository(AppSession) private readonly sessions: Repository<AppSession>) {}

  /** Called when `GET /api/context/form` has read the Task (each read keeps the latest version seen). */
  async remember(sessionId: string, task: LaunchTask): Promise<void> {
    await this.sessions.update({ idHash: sessionId }, { launchTask: task });
  }

  /**
   * In the submission's transaction: the session's Task when this response answers the form it asks for, for the
   * session's patient; it is then forgotten (one Task, one response), and remembered again if the transaction rolls
   * back. Null otherwise: another form, another patient, no Task, or another session.
   */
  async take(m: EntityManager, sessionId: string, response: { questionnaire: string; patientId: string }): Promise<LaunchTask | null> {
    const [row] = (await m.query(`SELECT launch_task, patient_id FROM app_session WHERE id_hash = $1 FOR UPDATE`, [sessionId])) as { launch_task: LaunchTask | null; patient_id: string | null }[];
    const task = row?.launch_task;
    if (!task || row.patient_id !== response.patientId || !answersForm(task.form, response.questionnaire)) return null;
    await m.query(`UPDATE app_session SET launch_task = NULL WHERE id_hash = $1`, [sessionId]);
    return task;
  }
}
