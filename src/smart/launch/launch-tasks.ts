import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { taskFormsAnsweredBy } from '../../fhir/sdc-task.js';
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
    // One statement (a submission's usual case, no Task, reads one row by its key and locks nothing).
    const [rows] = (await m.query(
      `UPDATE app_session s SET launch_task = NULL
         FROM (SELECT id_hash, launch_task FROM app_session
                WHERE id_hash = $1 AND patient_id = $2 AND launch_task->>'form' IN ($3, $4) FOR UPDATE) old
        WHERE s.id_hash = old.id_hash
       RETURNING old.launch_task`,
      [sessionId, response.patientId, ...taskFormsAnsweredBy(response.questionnaire)],
    )) as [{ launch_task: LaunchTask }[], number];
    return rows[0]?.launch_task ?? null;
  }
}
