import type { ProgramVersion } from '../catalogue/program-version.entity.js';
import type { Program } from '../catalogue/program.entity.js';
import { versionedCanonical } from '../shared/program-codes.js';
import { screeningOutcome } from './eligibility.rules.js';
import type { Referral } from './referral.entity.js';

/** A referral as the API shows it. */
export function referralView(r: Referral, program: Program, version: ProgramVersion, enrolmentId: string | null = null) {
  return {
    id: r.id,
    patientId: r.patientId,
    caregivers: r.caregivers,
    program: { id: program.id, slug: program.slug, kind: program.kind, version: version.version, title: version.title, canonical: versionedCanonical(program.slug, version.version) },
    reason: r.reason,
    priority: r.priority,
    status: r.status,
    requester: r.requester,
    screening: r.screening ? { ...r.screening, outcome: screeningOutcome(r.screening.eligible, r.screening.consent.given) } : null,
    decisionReason: r.decisionReason,
    enrolmentId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
