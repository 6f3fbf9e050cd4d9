import { Outbox } from '../admin/Outbox';

/**
 * Write-back problems: entries the EHR refused for good. Served today by the admin queue API; a
 * coordinator without the admin role sees the service's refusal (403) explained in place.
 */
export function Problems() {
  return <Outbox title="Write-back problems" initialStatus="dead" />;
}
