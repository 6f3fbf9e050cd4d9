import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ProgramLeadClinician } from './program-lead-clinician.entity.js';
import type { SafetyAlert } from './safety-alert.entity.js';

export interface LeadClinicianView {
  program: { id: string; slug: string };
  /** `Practitioner/<id>`, or null when the clinic named nobody (escalations then go to the EHR's work queue). */
  practitioner: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

interface Row {
  id: string;
  slug: string;
  practitioner: string | null;
  updated_at: Date | null;
  updated_by: string | null;
}

const viewOf = (r: Row): LeadClinicianView => ({
  program: { id: r.id, slug: r.slug },
  practitioner: r.practitioner,
  updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
  updatedBy: r.updated_by,
});

/**
 * Each program's lead clinician in this clinic: who receives its escalated safety alerts. The alert's program is
 * the enrolment its response belongs to, else the patient's latest enrolment (a read of the programs module's
 * `enrolment` table, the one place this module looks there).
 */
@Injectable()
export class LeadClinicians {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(registrationId: string): Promise<LeadClinicianView[]> {
    const rows: Row[] = await this.ds.query(
      `SELECT p.id, p.slug, l.practitioner, l.updated_at, l.updated_by
       FROM program p LEFT JOIN program_lead_clinician l ON l.program_id = p.id AND l.registration_id = $1
       ORDER BY p.slug`,
      [registrationId],
    );
    return rows.map(viewOf);
  }

  /** Names (or, with null, removes) a program's lead clinician for the admin's clinic; audited. */
  async set(user: SessionUser, program: string, practitioner: string | null, requestId: string | null): Promise<LeadClinicianView> {
    return this.ds.transaction(async (m) => {
      const [found]: { id: string; slug: string }[] = await m.query(`SELECT id, slug FROM program WHERE slug = $1 OR id::text = $1`, [program]);
      if (!found) throw new DomainError('PROGRAMS.UNKNOWN_PROGRAM', `No program '${program}'.`);
      const repo = m.getRepository(ProgramLeadClinician);
      if (practitioner) await repo.upsert({ registrationId: user.registrationId, programId: found.id, practitioner, updatedAt: new Date(), updatedBy: user.fhirUser }, ['registrationId', 'programId']);
      else await repo.delete({ registrationId: user.registrationId, programId: found.id });
      await this.audit.record({
        action: 'program.lead-clinician', outcome: 'success', actor: user.fhirUser, actorRole: user.role, requestId,
        resourceType: 'PlanDefinition', resourceId: found.id, detail: { slug: found.slug, practitioner },
      }, m);
      const row = await repo.findOneBy({ registrationId: user.registrationId, programId: found.id });
      return { program: found, practitioner: row?.practitioner ?? null, updatedAt: row?.updatedAt.toISOString() ?? null, updatedBy: row?.updatedBy ?? null };
    });
  }

  /** The lead clinician of the alert's program, or null when the program or its lead is unknown. */
  async forAlert(m: EntityManager, alert: Pick<SafetyAlert, 'registrationId' | 'responseId' | 'patientId'>): Promise<string | null> {
    const [row]: { practitioner: string | null }[] = await m.query(
      `SELECT l.practitioner
       FROM enrolment e
       LEFT JOIN questionnaire_response r ON r.id = $2
       LEFT JOIN program_lead_clinician l ON l.registration_id = e.registration_id AND l.program_id = e.program_id
       WHERE e.registration_id = $1 AND e.patient_id = $3 AND (r.enrolment_id IS NULL OR e.id = r.enrolment_id)
       ORDER BY e.enrolled_at DESC
       LIMIT 1`,
      [alert.registrationId, alert.responseId, alert.patientId],
    );
    return row?.practitioner ?? null;
  }
}
