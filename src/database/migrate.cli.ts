import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError } from '../config/config-error.js';
import { loadDatabaseConfig } from '../config/database.config.js';
import { pendingSchemaChanges } from './schema-drift.js';
import { dataSourceOptions } from './data-source-options.js';
import { DatabaseEndpoint } from './database-endpoint.js';

/** `run` applies pending migrations, `revert` undoes the last one, `check` fails when entities and migrations drift. */
async function main(command: string | undefined): Promise<number> {
  if (!['run', 'revert', 'check'].includes(command ?? '')) {
    console.error('usage: migrate.cli.js run|revert|check');
    return 2;
  }
  const config = loadDatabaseConfig();
  const endpoint = await DatabaseEndpoint.open(config);
  const ds = new DataSource(
    dataSourceOptions({
      url: endpoint.url,
      schema: config.schema === 'public' ? undefined : config.schema,
      poolSize: 2,
      queryTimeoutMs: config.queryTimeoutMs,
    }),
  );
  try {
    await ds.initialize();
    if (command === 'run') {
      const done = await ds.runMigrations({ transaction: 'each' });
      process.stdout.write(`Applied ${done.length} migration(s): ${done.map((m) => m.name).join(', ') || 'none'}\n`);
    } else if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      process.stdout.write('Reverted the last migration.\n');
    } else {
      await ds.runMigrations({ transaction: 'each' });
      const drift = await pendingSchemaChanges(ds);
      if (drift.length) {
        console.error(`Entities and migrations differ; a migration is missing for:\n${drift.join('\n')}`);
        return 1;
      }
      process.stdout.write('Entities and migrations agree.\n');
    }
    return 0;
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await endpoint.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `Migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
