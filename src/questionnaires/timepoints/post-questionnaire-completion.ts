import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Adapter for the programs module's `QuestionnaireCompletion` port (src/programs/enrolments/
 * questionnaire-completion.ts): the enrolment's post-program forms are done when the patient has at least one
 * `post` form and all of them are completed (cancelled ones do not count). Caregivers' own forms never hold a
 * patient's completion back. Structurally typed so this module does not import the programs module; wire it
 * in app.module.ts (`ProgramsModule.register`).
 */
@Injectable()
export class PostQuestionnaireCompletion {
  constructor(private readonly ds: DataSource) {}

  /** Pass the caller's manager when asked inside a transaction (embedded PostgreSQL runs one at a time). */
  async postQuestionnairesDone(q: { registrationId: string; enrolmentId: string; patientId: string }, m?: EntityManager): Promise<boolean> {
    const [row]: { total: number; done: number }[] = await (m ?? this.ds.manager).query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'completed')::int AS done
       FROM questionnaire_assignment
       WHERE registration_id = $1 AND enrolment_id = $2 AND patient_id = $3
         AND subject_type = 'Patient' AND timepoint = 'post' AND status <> 'cancelled'`,
      [q.registrationId, q.enrolmentId, q.patientId],
    );
    return row.total > 0 && row.done === row.total;
  }
}
