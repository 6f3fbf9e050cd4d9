import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { safetyConfig, type SafetyConfig } from '../../config/safety.config.js';
import { OutboxService } from '../../fhir/outbox.service.js';
import { QuestionnairesService } from '../definitions/questionnaires.service.js';
import { outboxKey } from '../../fhir/outbox-keys.js';
import { alertViewOf, factsOf, type AlertView } from './alert-views.js';
import { LeadClinicians } from './lead-clinicians.service.js';
import { SafetyAlert } from './safety-alert.entity.js';
import { alertEscalatedBundle } from './safety.fhir.js';

const BATCH = 50;

/**
 * Escalates safety alerts left open longer than SAFETY_ESCALATE_AFTER_MINUTES: a second EHR Task (and a
 * Communication) to the program's lead clinician, through the outbox like the first alert. Each alert is claimed
 * by one `UPDATE … WHERE escalated_at IS NULL … RETURNING` (rows locked SKIP LOCKED), so several instances never
 * escalate one twice; the claim, the write-back and the audit commit together. Runs every
 * SAFETY_ESCALATION_POLL_MS unless SAFETY_ESCALATION_WORKER=false; tests call `runOnce(now)` with their own clock.
 */
@Injectable()
export class AlertEscalationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AlertEscalationWorker');
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;
  private running = false;

  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly questionnaires: QuestionnairesService,
    private readonly leads: LeadClinicians,
    @Inject(safetyConfig.KEY) private readonly config: SafetyConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.escalationWorker) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.config.escalationPollMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  /** Escalates every overdue alert as of `now`; returns them. */
  async drain(now: Date = new Date()): Promise<AlertView[]> {
    const all: AlertView[] = [];
    for (;;) {
      const batch = await this.runOnce(now);
      all.push(...batch);
      if (batch.length < BATCH) return all;
    }
  }

  /** One claim of up to 50 overdue alerts (open, not escalated, raised at least the configured time before `now`). */
  async runOnce(now: Date = new Date()): Promise<AlertView[]> {
    const dueBefore = new Date(now.getTime() - this.config.escalateAfterMinutes * 60_000);
    return this.ds.transaction(async (m) => {
      const claimed = await m
        .createQueryBuilder()
        .update(SafetyAlert)
        .set({ escalatedAt: now })
        .where(
          `id IN (SELECT id FROM safety_alert WHERE status = 'open' AND escalated_at IS NULL AND raised_at <= :dueBefore ORDER BY raised_at LIMIT :batch FOR UPDATE SKIP LOCKED)`,
          { dueBefore, batch: BATCH },
        )
        .andWhere(`status = 'open' AND escalated_at IS NULL`)
        .returning('id')
        .execute();
      const out: AlertView[] = [];
      for (const { id } of claimed.raw as { id: string }[]) {
        const alert = await m.getRepository(SafetyAlert).findOneByOrFail({ id });
        alert.escalatedTo = await this.leads.forAlert(m, alert);
        await m.getRepository(SafetyAlert).update({ id }, { escalatedTo: alert.escalatedTo });
        const title = (await this.questionnaires.find(alert.registrationId, alert.questionnaire, m))?.questionnaire.title;
        const facts = factsOf(alert, title);
        await this.outbox.enqueue(m, {
          registrationId: alert.registrationId, patientKey: outboxKey.patient(alert.patientId), kind: 'safety-alert.escalated',
          businessKey: `safety-alert.escalated:${alert.id}`, bundle: alertEscalatedBundle({ ...facts, escalation: { at: now.toISOString(), to: alert.escalatedTo } }),
        });
        await this.audit.record({
          action: 'safety-alert.escalate', outcome: 'success', actor: 'system', actorRole: null, patientId: alert.patientId,
          resourceType: 'SafetyAlert', resourceId: alert.id,
          detail: { ruleId: alert.ruleId, severity: alert.severity, escalatedTo: alert.escalatedTo, afterMinutes: this.config.escalateAfterMinutes },
        }, m);
        out.push(alertViewOf(alert));
      }
      if (out.length) this.logger.warn({ msg: 'Safety alerts escalated', count: out.length, unassigned: out.filter((a) => !a.escalatedTo).length });
      return out;
    });
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.current = this.drain()
        // Name and SQLSTATE only: a driver message may quote row values.
        .catch((err: unknown) => this.logger.error({ msg: 'Safety escalation round failed', error: (err as Error)?.name, code: (err as { code?: unknown })?.code }))
        .finally(() => {
          if (this.running) this.schedule(this.config.escalationPollMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
