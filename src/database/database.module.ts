import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';
import { dataSourceOptions, type EntityList } from './data-source-options.js';
import { DatabaseEndpoint } from './database-endpoint.js';

@Global()
@Module({
  providers: [
    {
      provide: DatabaseEndpoint,
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => DatabaseEndpoint.open(config),
    },
  ],
  exports: [DatabaseEndpoint],
})
class DatabaseEndpointModule {}

/**
 * Connects TypeORM to the database and applies pending migrations at boot (never `synchronize`). `forRoot` takes
 * the entities from the top floor (src/entities.ts, beside the app module): this frame knows no feature's tables.
 */
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  static forRoot(entities: EntityList): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        DatabaseEndpointModule,
        TypeOrmModule.forRootAsync({
          inject: [databaseConfig.KEY, DatabaseEndpoint],
          useFactory: (config: DatabaseConfig, endpoint: DatabaseEndpoint) => ({
            ...dataSourceOptions({
              url: endpoint.url,
              schema: config.schema === 'public' ? undefined : config.schema,
              // PGlite is one database session that pglite-socket shares between client connections; interleaved
              // transactions from several connections were seen to mix (empty reads, failed requests). One
              // connection serialises everything, which is what PGlite does underneath anyway.
              poolSize: endpoint.embedded ? 1 : config.poolSize,
              poolIdleMs: config.poolIdleMs,
              queryTimeoutMs: config.queryTimeoutMs,
              serverStatementTimeout: config.serverStatementTimeout,
              connectionTimeoutMs: config.connectionTimeoutMs,
            }, entities),
            migrationsRun: true,
            // Entities of modules mounted only in some deployments (the sandbox) join through their forFeature.
            autoLoadEntities: true,
            // DatabaseEndpoint has already shown the database answers; a failure now is reported once by main.ts,
            // not retried with a stack trace per attempt.
            toRetry: () => false,
          }),
        }),
      ],
    };
  }

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DatabaseEndpoint) private readonly endpoint: DatabaseEndpoint,
  ) {}

  /** The pool must close before the embedded server stops, or its sockets error on the way down. */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.endpoint.close();
  }
}
