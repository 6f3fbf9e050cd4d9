import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { assertCanAccessPatient } from '../../common/auth/patient-access.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { audited, type Actor } from '../shared/actor.js';
import { isUniqueViolation } from '../shared/lookup.js';
import { alreadyReferred, findOpenReferral, OPEN_REFERRAL_INDEX } from './open-referral.rules.js';
import { ReferralWriteBack } from './referral-write-back.js';
import { Referral } from './referral.entity.js';
import type { ReferralInput } from './referral.schema.js';
import { referralView } from './referral.views.js';

/**
 * A clinician (for the patient in context) or a coordinator refers a patient, with caregivers if any, to a
 * program: our referral row and the EHR's ServiceRequest + Task, in one transaction. A patient with an open
 * referral to the program is not referred again (409 naming that referral); the database's partial unique index
 * settles two referrals sent at the same moment the same way.
 */
@Injectable()
export class ReferPatientService {
  constructor(
    private readonly ds: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly referrals: ReferralWriteBack,
    private readonly audit: AuditService,
  ) {}

  async refer(input: ReferralInput, actor: Actor) {
    assertCanAccessPatient(actor.user, input.patientId);
    const slot = { registrationId: actor.user.registrationId, patientId: input.patientId, programId: '' };
    let programTitle = '';
    try {
      return await this.ds.transaction(async (m) => {
        const { program, version } = await this.catalogue.version(m, input.program);
        [slot.programId, programTitle] = [program.id, version.title];
        const open = await findOpenReferral(m, slot);
        if (open) throw alreadyReferred(open, programTitle);
        const referral = m.getRepository(Referral).create({
          ...slot,
          caregivers: input.caregivers,
          programVersionId: version.id,
          reason: input.reason,
          priority: input.priority,
          status: 'referred',
          requester: actor.user.fhirUser,
          screening: null,
          decisionReason: null,
          revision: 0,
        });
        const saved = await this.referrals.saveAndEnqueue(m, referral, { kind: 'referral.created', previous: null }, actor);
        await this.audit.record({ action: 'referral.create', outcome: 'success', ...audited(actor), resourceType: 'ServiceRequest', resourceId: saved.id, patientId: saved.patientId, detail: { program: program.slug, priority: saved.priority } }, m);
        return referralView(saved, program, version);
      });
    } catch (err) {
      if (!isUniqueViolation(err, OPEN_REFERRAL_INDEX)) throw err;
      // Another request referred the patient while this one ran; it committed first, so name its referral.
      throw alreadyReferred(await findOpenReferral(this.ds.manager, slot), programTitle);
    }
  }
}
