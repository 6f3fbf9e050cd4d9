import { Injectable, Logger } from '@nestjs/common';
import type { CapabilityStatement } from 'fhir/r4.js';
import type { FhirConnection } from '../fhir-connection.js';
import { FhirGateway } from '../fhir-gateway.js';
import { profileFromCapabilities, type DeliveryProfile } from './delivery-profile.js';

/** An EHR's capabilities change with its releases, not by the minute: re-read them hourly. */
const TTL_MS = 60 * 60_000;
/** An unreadable CapabilityStatement (down, or not served) is asked for again soon. */
const RETRY_MS = 60_000;

interface Known {
  statement?: CapabilityStatement;
  /** A Bundle size the EHR refused as too large taught us its limit (forgotten at the next re-read). */
  maxEntries?: number;
  until: number;
}

/**
 * Per registration and FHIR base: the EHR's CapabilityStatement, cached and refreshed, turned into a delivery
 * profile with the registration's overrides applied on every use (so an admin's change applies at once).
 */
@Injectable()
export class CapabilityCache {
  private readonly logger = new Logger('CapabilityCache');
  private readonly known = new Map<string, Known>();

  constructor(private readonly gateway: FhirGateway) {}

  /** The profile to deliver with; undefined while neither the EHR nor the registration says enough. */
  async profileFor(conn: FhirConnection, now = Date.now()): Promise<DeliveryProfile | undefined> {
    const k = this.known.get(keyOf(conn));
    const entry = k && k.until > now ? k : await this.read(conn, now);
    return withLearnedLimit(profileFromCapabilities(entry.statement, conn.delivery ?? {}), entry.maxEntries);
  }

  /** Reads the CapabilityStatement now (the admin's "check connection"), replacing what was cached. */
  async refresh(conn: FhirConnection, now = Date.now()): Promise<{ statement?: CapabilityStatement; profile?: DeliveryProfile; error?: unknown }> {
    let error: unknown;
    const k = await this.read(conn, now, (e) => (error = e));
    return { statement: k.statement, profile: withLearnedLimit(profileFromCapabilities(k.statement, conn.delivery ?? {}), k.maxEntries), error };
  }

  /** The EHR refused a Bundle of `refused` entries as too large: keep pieces below that until the next re-read. */
  learnMaxEntries(conn: FhirConnection, refused: number): number {
    const key = keyOf(conn);
    const k = this.known.get(key) ?? { until: 0 };
    const max = Math.max(1, Math.floor(refused / 2));
    if (!k.maxEntries || max < k.maxEntries) k.maxEntries = max;
    this.known.set(key, k);
    this.logger.warn({ msg: 'EHR refused a Bundle as too large; sending smaller pieces', registrationId: conn.registrationId, refused, maxEntries: k.maxEntries });
    return k.maxEntries;
  }

  private async read(conn: FhirConnection, now: number, onError?: (e: unknown) => void): Promise<Known> {
    const key = keyOf(conn);
    const previous = this.known.get(key);
    let k: Known;
    try {
      k = { statement: await this.gateway.capabilities(conn), until: now + TTL_MS };
    } catch (err) {
      onError?.(err);
      // Keep what we knew (an EHR briefly down has not changed its capabilities).
      k = { statement: previous?.statement, maxEntries: previous?.maxEntries, until: now + RETRY_MS };
      this.logger.warn({ msg: 'Could not read the EHR CapabilityStatement', registrationId: conn.registrationId, error: (err as Error)?.name });
    }
    this.known.set(key, k);
    return k;
  }
}

/** A learned limit beats a larger (or absent) configured one: the EHR has already refused that size. */
function withLearnedLimit(p: DeliveryProfile | undefined, learned: number | undefined): DeliveryProfile | undefined {
  if (!p || !learned || (p.maxEntries && p.maxEntries <= learned)) return p;
  return { ...p, maxEntries: learned };
}

function keyOf(conn: FhirConnection): string {
  return `${conn.registrationId} ${conn.baseUrl}`;
}
