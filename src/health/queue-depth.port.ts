// What readiness and /metrics need from the write-back queue, as a port: health/ sits below the feature modules
// and never imports them. An abstract class, so it doubles as the Nest injection token; fhir/ provides it (its
// outbox).

/** The queue's counts; oldestPendingAgeSeconds is 0 when nothing waits. */
export interface QueueDepthStats {
  pending: number;
  inFlight: number;
  dead: number;
  oldestPendingAgeSeconds: number;
}

export abstract class QueueDepth {
  abstract stats(): Promise<QueueDepthStats>;
}
