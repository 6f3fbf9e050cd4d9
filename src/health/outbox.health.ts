import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { QueueDepth } from './queue-depth.port.js';

/**
 * Reports the write-back queue (depth, dead letters, oldest waiting entry) without ever failing readiness:
 * a backlog means the EHR is slow or down, and dead letters are an admin's to handle; neither means this
 * instance should stop taking traffic. An unreadable table is the database check's to report.
 */
@Injectable()
export class OutboxHealthIndicator {
  constructor(
    private readonly outbox: QueueDepth,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 'outbox') {
    const h = this.indicator.check(key);
    try {
      const s = await this.outbox.stats();
      return h.up({ depth: s.pending + s.inFlight, pending: s.pending, inFlight: s.inFlight, dead: s.dead, oldestPendingAgeSeconds: s.oldestPendingAgeSeconds });
    } catch {
      return h.up({ readable: false });
    }
  }
}
