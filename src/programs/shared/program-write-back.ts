import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '../../fhir/outbox.service.js';
import { transactionBundle, type WriteBackEntry } from '../../fhir/write-back.fhir.js';
import { ref } from './fhir-refs.js';

export interface ProgramWrite {
  registrationId: string;
  /** Ordering key: `Patient/<id>` for a patient's writes, `cohort/<id>` for a cohort's shared Appointments. */
  key: string;
  kind: string;
  /** Unique per unit of work (the row id and its write revision), so a retried request enqueues nothing twice. */
  businessKey: string;
  entries: WriteBackEntry[];
  /** fhirUser of the person who made the change: the Provenance's agent. */
  actor: string;
  at: Date;
}

/** Finishes a unit of work as one transaction Bundle (+ Provenance) in the outbox, inside the caller's transaction. */
@Injectable()
export class ProgramWriteBack {
  constructor(private readonly outbox: OutboxService) {}

  async enqueue(m: EntityManager, w: ProgramWrite): Promise<void> {
    const bundle = transactionBundle(w.entries, { agent: ref(w.actor), recorded: w.at });
    await this.outbox.enqueue(m, { registrationId: w.registrationId, patientKey: w.key, kind: w.kind, businessKey: w.businessKey, bundle });
  }
}
