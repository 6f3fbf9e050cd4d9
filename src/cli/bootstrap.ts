import 'reflect-metadata';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { ConfigModule, type ConfigFactory } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ConfigError, validateAllConfig } from '../config/index.js';
import { loadDatabaseConfig } from '../config/database.config.js';
import { dataSourceOptions, type EntityList } from '../database/data-source-options.js';
import { DatabaseEndpoint, DatabaseUnreachableError } from '../database/database-endpoint.js';
import { DatabaseModule } from '../database/database.module.js';
export { MigrationProgressLogger } from '../database/migration-logger.js';

// The one bootstrap of the command-line tools (migrate, registry, report): configuration read and validated once,
// a database (a Nest application context, or a bare data source for the migrations), and every failure as one
// line on stderr with exit code 1. A CLI's own usage errors return 2. Entities come from the caller (this floor
// knows no feature's tables): the migrations CLI passes every entity, a CLI module its own `forFeature` ones.

/**
 * What every CLI module imports: its configuration areas (from the environment only), the database, the audit log.
 * The module's own `TypeOrmModule.forFeature` entities join the database (autoLoadEntities), as the audit log's do.
 */
export function cliModuleImports(load: ConfigFactory[]) {
  return [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load }), DatabaseModule.forRoot([]), AuditModule];
}

/** Validates every configuration area, opens `module` as an application context, runs `use`, always closes it. */
export async function withAppContext<T>(module: Type<unknown>, use: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  validateAllConfig();
  const app = await NestFactory.createApplicationContext(module, { logger: ['error'] });
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}

/** A data source of its own (no Nest, two connections) on the configured database, for the migrations. */
export async function withDataSource<T>(entities: EntityList, use: (ds: DataSource) => Promise<T>): Promise<T> {
  const config = loadDatabaseConfig();
  const endpoint = await DatabaseEndpoint.open(config);
  const ds = new DataSource({
    ...dataSourceOptions(
      {
        url: endpoint.url,
        schema: config.schema === 'public' ? undefined : config.schema,
        poolSize: 2,
        queryTimeoutMs: config.queryTimeoutMs,
        serverStatementTimeout: config.serverStatementTimeout,
      },
      entities,
    ),
  });
  try {
    await ds.initialize();
    return await use(ds);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await endpoint.close();
  }
}

/**
 * An error as the one line a CLI prints. Ours say what they say (a configuration error, an unreachable database, a
 * coded domain error: their messages are written to be shown); any other (a database driver's, TypeORM's) is named by
 * its name and code only, beside a plain sentence: a driver's message can quote a value of the row it was handling,
 * and a scheduled job's stderr ends up in logs. `stopped` says what stopped (`the report stopped on`).
 */
export function cliErrorLine(err: unknown, failure: string, stopped = 'stopped on'): string {
  if (err instanceof ConfigError || err instanceof DatabaseUnreachableError) return err.message;
  if (err instanceof DomainError) return [`${err.code}: ${err.message}`, ...(err.issues.length ? [err.issues.map((i) => i.message).join('; ')] : [])].join(' ');
  const e = err as { name?: unknown; code?: unknown } | null | undefined;
  const token = (v: unknown) => ((typeof v === 'string' || typeof v === 'number') && /^[\w.-]{1,64}$/.test(String(v)) ? String(v) : undefined);
  const name = token(e?.name) ?? 'Error';
  const code = token(e?.code);
  return `${failure}: ${stopped} an unexpected error (${name}${code ? `, code ${code}` : ''}); its message is not shown, as it may quote data.`;
}

/**
 * Runs a CLI's `main` and exits with its code; a thrown error prints one line (`line`, by default `cliErrorLine`) and
 * exits 1.
 */
export function runCli(main: () => Promise<number>, failure = 'Failed', line: (err: unknown) => string = (err) => cliErrorLine(err, failure)): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(line(err).replace(/\s*\n\s*/g, ' '));
      process.exit(1);
    },
  );
}
