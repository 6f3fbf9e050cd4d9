import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { QueueDepth } from './queue-depth.port.js';

/**
 * Prometheus metrics: the write-back queue plus Node's process metrics. Counts only, no PHI; like the
 * health probes it needs no session (restrict it at the network edge if the scraper is not internal).
 */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  private readonly registry = new Registry();
  private readonly gauge = (name: string, help: string) => new Gauge({ name, help, registers: [this.registry] });
  private readonly pending = this.gauge('als_outbox_pending', 'Write-back entries waiting for delivery');
  private readonly inFlight = this.gauge('als_outbox_in_flight', 'Write-back entries being delivered now');
  private readonly dead = this.gauge('als_outbox_dead', 'Write-back entries that gave up (an admin can retry them)');
  private readonly oldest = this.gauge('als_outbox_oldest_pending_seconds', 'Age of the oldest write-back entry not yet delivered');

  constructor(private readonly outbox: QueueDepth) {
    collectDefaultMetrics({ register: this.registry });
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus text exposition' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'als_outbox_pending, als_outbox_dead, als_outbox_oldest_pending_seconds, process metrics' })
  async metrics(): Promise<string> {
    // One query per scrape, set on the gauges just before they are read.
    const s = await this.outbox.stats();
    this.pending.set(s.pending);
    this.inFlight.set(s.inFlight);
    this.dead.set(s.dead);
    this.oldest.set(s.oldestPendingAgeSeconds);
    return this.registry.metrics();
  }
}
