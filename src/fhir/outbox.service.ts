import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Bundle, Provenance } from 'fhir/r4.js';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { canonicalPatientId, patientsNamedIn } from '../audit/patient-id.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isUuid } from '../common/uuid.js';
import { OutboxEntry } from './outbox-entry.entity.js';
import type { OutboxListFilter } from './outbox.query.js';
import { toDetail, toSummary, type OutboxDetail, type OutboxPage, type OutboxStats, type OutboxSummary } from './outbox.views.js';
import { referencePattern } from './ids.js';

export interface EnqueueItem {
  /** Which EHR (ehr_registration.id) receives it. */
  registrationId: string;
  /** Ordering key, by convention `Patient/<id>`: one patient's entries are delivered in creation order. */
  patientKey: string;
  /** What it is, e.g. `referral.created`. */
  kind: string;
  /** Idempotency of the enqueue: the feature's own stable key, e.g. `referral.created:<referral id>`. */
  businessKey: string;
  /** A FHIR transaction Bundle, as built by `transactionBundle()`. */
  bundle: Bundle;
  /** fhirUser whose change this is; defaults to the Provenance's (see `provenanceActor`). */
  actor?: string | null;
  /** An entry (same ordering key, enqueued before) whose delivery this one needs, e.g. a Task completion its response. */
  dependsOn?: string | null;
}

/** Who is looking, for the audit log. */
export interface Accessor {
  actor: string | null;
  actorRole?: string | null;
  requestId?: string | null;
}

/**
 * The user whose change a Bundle is, from its Provenance: the agent who acted (who typed — never the patient a
 * caregiver or clinician answered for), or, for the app's own writes, the user it acted for; null when the app
 * acted on its own (a safety alert).
 */
export function provenanceActor(bundle: Bundle): string | null {
  const prov = bundle.entry?.find((e) => e.resource?.resourceType === 'Provenance')?.resource as Provenance | undefined;
  const agent = prov?.agent?.[0];
  const ref = agent?.who?.reference ?? (agent?.who?.type === 'Device' ? agent.onBehalfOf?.reference : undefined);
  return ref && referencePattern('Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson').test(ref) ? ref : null;
}

/**
 * `enqueue`'s INSERT (… ON CONFLICT (business_key) DO NOTHING RETURNING id), its `$n` placeholders numbered after what
 * `params` already holds (the values are appended), for a feature that writes its own rows in one statement
 * (`WITH … AS (INSERT …)`) and adds its entry there instead of a round trip of its own; no id answered: the entry was
 * there already (`OutboxService.idOf`). Checks the item as `enqueue` does.
 */
export function outboxInsertSql(item: EnqueueItem, params: unknown[]): string {
  const b = item.bundle as Partial<Bundle> | undefined;
  if (b?.resourceType !== 'Bundle' || b.type !== 'transaction' || !b.entry?.length) throw new Error('enqueue needs a non-empty transaction Bundle');
  if (!isUuid(item.registrationId)) throw new Error('enqueue needs a registration id (UUID)');
  if (![item.patientKey, item.kind, item.businessKey].every((v) => typeof v === 'string' && v.length > 0)) {
    throw new Error('enqueue needs a patientKey, a kind and a businessKey');
  }
  if (item.dependsOn != null && !isUuid(item.dependsOn)) throw new Error('dependsOn is an outbox entry id (UUID)');
  const at = params.length;
  params.push(item.registrationId, item.patientKey, item.kind, item.businessKey, JSON.stringify(item.bundle), item.actor ?? provenanceActor(item.bundle), item.dependsOn ?? null);
  const $ = (i: number) => `$${at + i}`;
  return `INSERT INTO outbox_entry (registration_id, patient_key, kind, business_key, bundle, actor, depends_on)
       VALUES (${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}::jsonb, ${$(6)}, ${$(7)}) ON CONFLICT (business_key) DO NOTHING RETURNING id`;
}

/** The patients an entry's `lastError` concerns: its ordering key when a patient, and each `Patient/<id>` its text names. */
export function patientsOfError(e: Pick<OutboxEntry, 'patientKey' | 'lastError'>, out = new Set<string>()): Set<string> {
  const key = canonicalPatientId(e.patientKey);
  if (key) out.add(key);
  return patientsNamedIn(e.lastError, out);
}

/** The outbox as features and admins see it. The worker's side is OutboxQueue. */
@Injectable()
export class OutboxService {
  constructor(
    @InjectRepository(OutboxEntry) private readonly entries: Repository<OutboxEntry>,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Adds a write to the outbox inside the CALLER's transaction (pass its manager), so the feature's rows and
   * the write-back commit or roll back together. A second enqueue with the same businessKey is a no-op.
   */
  async enqueue(manager: EntityManager, item: EnqueueItem): Promise<{ id: string; created: boolean }> {
    const params: unknown[] = [];
    const inserted: { id: string }[] = await manager.query(outboxInsertSql(item, params), params);
    if (inserted.length) return { id: inserted[0].id, created: true };
    return { id: await this.idOf(manager, item.businessKey), created: false };
  }

  /** The entry enqueued under this businessKey (an `outboxInsertSql` that answered no id: it was there already). */
  async idOf(manager: EntityManager, businessKey: string): Promise<string> {
    const [existing]: { id: string }[] = await manager.query(`SELECT id FROM outbox_entry WHERE business_key = $1`, [businessKey]);
    return existing.id;
  }

  /** The clinic's Bundle enqueued under this businessKey, as queued (a resend sends its content), or null. */
  async queuedBundle(registrationId: string, businessKey: string, manager: EntityManager = this.ds.manager): Promise<Bundle | null> {
    const [entry]: { bundle: Bundle }[] = await manager.query(`SELECT bundle FROM outbox_entry WHERE business_key = $1 AND registration_id = $2`, [businessKey, registrationId]);
    return entry?.bundle ?? null;
  }

  /** Newest first; `nextCursor` is null on the last page. */
  async list(filter: OutboxListFilter): Promise<OutboxPage> {
    return (await this.listShowing(filter)).page;
  }

  /**
   * A page of the admin list, and the patients its `lastError`s concern, for the audit: the EHR's OperationOutcome
   * may name the patient (`Patient/<id>` in its text), so an entry that shows one is a read of its patient's data —
   * its ordering key when that is a patient, and every patient the error text names (a cohort's entry names no
   * patient by its key). The page itself names no patient.
   */
  async listShowing(filter: OutboxListFilter): Promise<{ page: OutboxPage; patients: string[] }> {
    const q = this.entries.createQueryBuilder('o').orderBy('o.seq', 'DESC').limit(filter.limit + 1);
    if (filter.status) q.andWhere('o.status = :status', { status: filter.status });
    if (filter.registrationId) q.andWhere('o.registrationId = :rid', { rid: filter.registrationId });
    if (filter.cursor) q.andWhere('o.seq < :cursor', { cursor: filter.cursor });
    const rows = await q.getMany();
    const shown = rows.slice(0, filter.limit);
    const items: OutboxSummary[] = shown.map(toSummary);
    const patients = new Set<string>();
    for (const e of shown) if (e.lastError) patientsOfError(e, patients);
    return { page: { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].seq : null }, patients: [...patients] };
  }

  /**
   * Write-back problems of one EHR for its coordinators: dead entries with the patient they concern and the
   * EHR's answer, newest first; no Bundle content. `onlyPatient`: a coordinator launched with a patient in
   * context sees that patient's only.
   */
  async problems(registrationId: string, onlyPatient?: string, limit = 100): Promise<(OutboxSummary & { patientKey: string })[]> {
    const where = { registrationId, status: 'dead' as const, ...(onlyPatient !== undefined ? { patientKey: `Patient/${onlyPatient}` } : {}) };
    const rows = await this.entries.find({ where, order: { seq: 'DESC' }, take: limit });
    return rows.map((e) => ({ ...toSummary(e), patientKey: e.patientKey }));
  }

  /** One entry with its Bundle. The Bundle is PHI: its route audits the read (`outbox.read`, every patient it names). */
  async get(id: string): Promise<OutboxDetail> {
    const e = await this.entries.findOneBy({ id });
    if (!e) throw new DomainError('COMMON.NOT_FOUND', 'No such outbox entry.');
    return toDetail(e);
  }

  /** Puts a dead entry back in the queue with a fresh attempt budget; audited in the same transaction. */
  async retry(id: string, who: Accessor): Promise<OutboxSummary> {
    return this.ds.transaction(async (m) => {
      const [rows] = (await m.query(
        // attempts keeps counting (it fences a stale worker's late writes); the retry budget restarts from here.
        `UPDATE outbox_entry SET status = 'pending', attempt_base = attempts, next_attempt_at = now(), locked_until = NULL
         WHERE id = $1 AND status = 'dead' RETURNING id, patient_key`,
        [id],
      )) as [{ id: string; patient_key: string }[], number];
      if (!rows.length) {
        const e = await m.getRepository(OutboxEntry).findOneBy({ id });
        if (!e) throw new DomainError('COMMON.NOT_FOUND', 'No such outbox entry.');
        throw new DomainError('COMMON.CONFLICT', `Only a dead entry can be retried; this one is ${e.status}.`);
      }
      // The ordering key is `Patient/<id>` (stored as the bare id) or a cohort's `cohort/<id>`, which names no patient.
      const key = rows[0].patient_key;
      const patientId = canonicalPatientId(key);
      await this.audit.record({ action: 'outbox.retry', outcome: 'success', ...who, resourceType: 'OutboxEntry', resourceId: id, patientId, ...(patientId ? {} : { detail: { key } }) }, m);
      return toSummary((await m.getRepository(OutboxEntry).findOneByOrFail({ id })));
    });
  }

  /** Queue depth for readiness and metrics: counts by status, and the age of the oldest undelivered entry. */
  async stats(): Promise<OutboxStats> {
    const [r]: { pending: number; in_flight: number; dead: number; oldest: number }[] = await this.ds.query(`
      SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
             count(*) FILTER (WHERE status = 'in_flight')::int AS in_flight,
             count(*) FILTER (WHERE status = 'dead')::int AS dead,
             COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status <> 'dead')), 0)::float8 AS oldest
      FROM outbox_entry WHERE status IN ('pending', 'in_flight', 'dead')`);
    return { pending: r.pending, inFlight: r.in_flight, dead: r.dead, oldestPendingAgeSeconds: Math.max(0, Math.round(r.oldest)) };
  }
}
