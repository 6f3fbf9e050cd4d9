import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { taskFormsAnsweredBy } from '../../fhir/sdc-task.js';
import { grantsTaskUpdate, type LaunchTask } from '../../fhir/task-completion.js';
import { AppSession } from '../session/app-session.entity.js';
import { SessionService } from '../session/session.service.js';

/**
 * The Task a submission takes, and whether write-back could ever complete it: with `writeBackAuth: "user"` the
 * clinician's own token updates the Task, so a session whose granted scopes lack Task update cannot (`task-scope`).
 */
export type TakenTask = { task: LaunchTask; cannot: null } | { task: LaunchTask; cannot: 'task-scope' };

/**
 * The EHR's Task a launch named (SMART 2.2 fhirContext, SDC's pattern), kept with the session from the moment the
 * app opens the form it asks for until a response to that form is submitted in that session: that response, and
 * only that one, completes the Task (the questionnaires module enqueues the completion with the response).
 */
@Injectable()
export class LaunchTasks {
  constructor(
    @InjectRepository(AppSession) private readonly sessions: Repository<AppSession>,
    private readonly sessionState: SessionService,
  ) {}

  /** Called when `GET /api/context/form` has read the Task (each read keeps the latest version seen; null forgets it). */
  async remember(sessionId: string, task: LaunchTask | null): Promise<void> {
    await this.sessions.update({ idHash: sessionId }, { launchTask: task });
  }

  /**
   * What `takeSql` answered in the submission's transaction: the session's Task when the response answers the form it
   * asks for, for the session's patient (`takeSql` forgot it: one Task, one response; remembered again if the
   * transaction rolls back), and whether the session's own token could complete it when write-back uses the user's
   * token. Null otherwise (no row: another form, another patient, no Task, or another session).
   */
  taken(row: TakeRow | undefined): TakenTask | null {
    // Remembered before the Task's substance was kept (a session open across that release): it cannot be checked for
    // changes at delivery, so it is not completed.
    if (!row?.launch_task?.substance) return null;
    if (row.write_back_auth !== 'user') return { task: row.launch_task, cannot: null };
    // What the EHR granted this session's token (its token response's scope, else what was asked).
    const state = this.sessionState.state({ tokensEnc: row.tokens_enc } as AppSession);
    const granted = String(state.tokenResponse.scope ?? state.scope ?? '');
    return { task: row.launch_task, cannot: grantsTaskUpdate(granted) ? null : 'task-scope' };
  }
}

/** A row `takeSql` answers: the Task taken, and what `taken` needs to tell whether the session's token can complete it. */
export interface TakeRow {
  launch_task: LaunchTask;
  tokens_enc: string;
  write_back_auth: string | null;
}

/** TakeRow's columns, for a statement that selects them from the `takeSql` it embeds. */
export const TAKE_COLUMNS = ['launch_task', 'tokens_enc', 'write_back_auth'] as const;

/**
 * Takes the session's Task for this response (a submission's usual case, no Task, reads one row by its key and locks
 * nothing), its `$n` placeholders numbered after what `params` already holds (the values are appended): a part of the
 * submission's own statement (`WITH … AS (UPDATE …)`) rather than a round trip of its own; the row it answers (none:
 * no Task) goes to `LaunchTasks.taken`.
 */
export function takeSql(sessionId: string, response: { questionnaire: string; patientId: string }, params: unknown[]): string {
  const at = params.length;
  params.push(sessionId, response.patientId, ...taskFormsAnsweredBy(response.questionnaire));
  const $ = (i: number) => `$${at + i}`;
  return `UPDATE app_session s SET launch_task = NULL
         FROM (SELECT id_hash, launch_task FROM app_session
                WHERE id_hash = ${$(1)} AND patient_id = ${$(2)} AND launch_task->>'form' IN (${$(3)}, ${$(4)}) FOR UPDATE) old
        WHERE s.id_hash = old.id_hash
       RETURNING old.launch_task, s.tokens_enc,
                 (SELECT r.write_back_auth FROM ehr_registration r WHERE r.id = s.registration_id) AS write_back_auth`;
}
