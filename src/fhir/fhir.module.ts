import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BundleDelivery } from './delivery/bundle-delivery.js';
import { CapabilityCache } from './delivery/capability-cache.js';
import { TaskCompletionDelivery } from './delivery/task-completion-delivery.js';
import { WriteBackProbe } from './delivery/write-back-probe.js';
import { FhirGateway } from './fhir-gateway.js';
import { OutboxEntry } from './outbox-entry.entity.js';
import { OutboxProblemsController } from './outbox-problems.controller.js';
import { OutboxController } from './outbox.controller.js';
import { OutboxQueue } from './outbox.queue.js';
import { OutboxService } from './outbox.service.js';
import { OutboxWorker } from './outbox.worker.js';
import { PatientWriteBackController } from './patient-write-back.controller.js';
import { QueueDepth } from '../health/queue-depth.port.js';

/**
 * FHIR over the wire and the durable write-back. The EhrSystemAuthorizer the worker needs is provided by
 * the smart module (global); the worker looks it up lazily and pauses without it.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEntry])],
  controllers: [OutboxController, OutboxProblemsController, PatientWriteBackController],
  providers: [
    FhirGateway, CapabilityCache, BundleDelivery, TaskCompletionDelivery, WriteBackProbe, OutboxQueue, OutboxService, OutboxWorker,
    // Readiness and /metrics (health/) read the queue's depth through their port.
    { provide: QueueDepth, useFactory: (outbox: OutboxService): QueueDepth => outbox, inject: [OutboxService] },
  ],
  exports: [FhirGateway, OutboxService, OutboxWorker, WriteBackProbe, QueueDepth],
})
export class FhirModule {}
