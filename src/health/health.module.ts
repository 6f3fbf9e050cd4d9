import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { MigrationsHealthIndicator } from './migrations.health.js';
import { OutboxHealthIndicator } from './outbox.health.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [HealthController, MetricsController],
  providers: [MigrationsHealthIndicator, OutboxHealthIndicator],
})
export class HealthModule {}
