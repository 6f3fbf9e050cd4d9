import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's role follows their EHR record since USERS.ROLE_NOT_ALLOWED (users.service.ts, rolesAllowed): a Patient
 * is a patient, a RelatedPerson a caregiver, a practitioner holds a staff role. Roles given before that rule may not:
 * an admin could take a Patient to caregiver (who answers forms about others) or a practitioner to patient. This
 * repairs them once, as the rule would have:
 * - a Patient becomes patient and a RelatedPerson caregiver (the one role their record allows);
 * - a practitioner holding a patient's or caregiver's role becomes quality, the staff role that reads no patient's
 *   data (de-identified reports only), until an admin gives the right one: no practitioner gains access to a
 *   patient here.
 * As a role change through the API does, each change ends the person's open sessions (their patient context came
 * with the old role) and is audited as there (`user.role.change`, actor `system`, with from, to, why and the sessions
 * ended; `session.revoke` when there were any).
 * Nothing to undo: `down` leaves the repaired roles as they are.
 */
export class RolesByRecordKind1795000066000 implements MigrationInterface {
  name = 'RolesByRecordKind1795000066000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      WITH wrong AS (
        SELECT id, role AS before,
          CASE WHEN fhir_user LIKE 'Patient/%' THEN 'patient' WHEN fhir_user LIKE 'RelatedPerson/%' THEN 'caregiver' ELSE 'quality' END AS after
        FROM app_user
        WHERE (fhir_user LIKE 'Patient/%' AND role <> 'patient')
          OR (fhir_user LIKE 'RelatedPerson/%' AND role <> 'caregiver')
          OR (fhir_user NOT LIKE 'Patient/%' AND fhir_user NOT LIKE 'RelatedPerson/%' AND role IN ('patient', 'caregiver'))
        FOR UPDATE
      ),
      changed AS (
        UPDATE app_user u SET role = w.after, updated_at = now() FROM wrong w WHERE u.id = w.id RETURNING u.id
      ),
      ended AS (
        UPDATE app_session s SET revoked_at = now() FROM wrong w
        WHERE s.user_id = w.id AND s.revoked_at IS NULL AND s.expires_at > now() RETURNING s.user_id
      )
      , per_user AS (SELECT w.id, w.before, w.after, (SELECT count(*) FROM ended e WHERE e.user_id = w.id)::int AS sessions FROM wrong w JOIN changed c ON c.id = w.id)
      INSERT INTO audit_event (action, outcome, actor, actor_role, resource_type, resource_id, detail, occurred_at)
      SELECT 'user.role.change', 'success', 'system', NULL, 'AppUser', p.id::text,
        jsonb_build_object('from', p.before, 'to', p.after, 'reason', 'role-not-allowed-for-record', 'sessionsEnded', p.sessions), clock_timestamp()
      FROM per_user p
      UNION ALL
      SELECT 'session.revoke', 'success', 'system', NULL, 'AppUser', p.id::text,
        jsonb_build_object('reason', 'role-change', 'sessions', p.sessions), clock_timestamp()
      FROM per_user p WHERE p.sessions > 0`);
  }

  async down(): Promise<void> {
    // A repair: the roles it corrected are not given back.
  }
}
