import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { SandboxError } from './sandbox-errors.js';
import { SandboxToken } from './sandbox-grant.entity.js';

/** How the sandbox EHR behaves, so tests of later features can simulate an EHR's bad days. */
export type SandboxMode = 'ok' | 'unavailable' | 'slow' | 'reject-writes';

export interface SandboxControlState {
  mode: SandboxMode;
  /** Added to every FHIR and token response in `slow` mode. */
  delayMs: number;
  /** Lifetime of new access tokens (`expires_in`). */
  accessTokenTtlSeconds: number;
}

export const DEFAULT_CONTROL_STATE: SandboxControlState = { mode: 'ok', delayMs: 0, accessTokenTtlSeconds: 3600 };

/**
 * Test control of the sandbox EHR. State is per process (the sandbox runs as one instance); token actions
 * act on the database, so they reach tokens issued before the call.
 */
@Injectable()
export class SandboxControl {
  private current: SandboxControlState = { ...DEFAULT_CONTROL_STATE };

  constructor(@InjectRepository(SandboxToken) private readonly tokens: Repository<SandboxToken>) {}

  state(): SandboxControlState {
    return { ...this.current };
  }

  /** Changes the given settings; `mode: 'ok'` alone also clears the delay. */
  set(change: Partial<SandboxControlState>): SandboxControlState {
    this.current = { ...this.current, ...(change.mode === 'ok' && change.delayMs === undefined ? { delayMs: 0 } : {}), ...change };
    return this.state();
  }

  reset(): SandboxControlState {
    this.current = { ...DEFAULT_CONTROL_STATE };
    return this.state();
  }

  /** Makes every live access token expire now; returns how many. */
  async expireTokens(): Promise<number> {
    const now = new Date();
    const result = await this.tokens.update({ kind: 'access', expiresAt: MoreThan(now) }, { expiresAt: now });
    return result.affected ?? 0;
  }

  /** Revokes every live refresh token; returns how many. */
  async revokeRefreshTokens(): Promise<number> {
    const result = await this.tokens.update({ kind: 'refresh', revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }

  /** Applies the configured delay; false when the EHR should look down. */
  async admit(): Promise<boolean> {
    if (this.current.mode === 'unavailable') return false;
    if (this.current.mode === 'slow' && this.current.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.current.delayMs));
    }
    return true;
  }

  /** Throws the 422 a real EHR gives when it refuses a write. */
  assertWritable(): void {
    if (this.current.mode === 'reject-writes') {
      throw new SandboxError('SANDBOX.WRITES_REJECTED', 'The sandbox EHR is set to reject writes (control mode reject-writes).');
    }
  }
}
