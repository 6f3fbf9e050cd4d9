import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DbLaunchStorage } from '../launch/db-launch-storage.js';
import { LaunchState } from '../launch/launch-state.entity.js';

const EVERY_MS = 10 * 60 * 1000;

/**
 * Removes abandoned launches (sealed PKCE verifiers) and sessions that ended more than a day ago, so
 * anonymous launch attempts cannot grow the database without bound. Safe on every instance at once.
 */
@Injectable()
export class SessionJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger('Smart');

  constructor(private readonly ds: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch(() => this.logger.warn('Session sweep failed; will retry')), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    await DbLaunchStorage.sweep(this.ds.getRepository(LaunchState));
    await this.ds.query(`DELETE FROM app_session WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'`);
  }
}
