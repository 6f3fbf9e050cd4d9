import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/** Ready only when every migration the build knows has been applied to the database. */
@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 'migrations') {
    const h = this.indicator.check(key);
    try {
      const pending = await this.dataSource.showMigrations();
      return pending ? h.down({ pending: true }) : h.up();
    } catch {
      return h.down({ reason: 'cannot read migrations table' });
    }
  }
}
