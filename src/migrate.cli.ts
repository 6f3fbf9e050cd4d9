import 'reflect-metadata';
import { runCli, withDataSource } from './cli/bootstrap.js';
import { pendingSchemaChanges } from './database/schema-drift.js';
import { entities } from './entities.js';

// Beside main.ts: like the service, the migrations CLI needs every entity (`check` compares them with the
// migrations), so it sits on the top floor and hands them to the bootstrap.

/** `run` applies pending migrations, `revert` undoes the last one, `check` fails when entities and migrations drift. */
async function main(command: string | undefined): Promise<number> {
  if (!['run', 'revert', 'check'].includes(command ?? '')) {
    console.error('usage: migrate.cli.js run|revert|check');
    return 2;
  }
  return withDataSource(entities, async (ds) => {
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
  });
}

runCli(() => main(process.argv[2]), 'Migration failed');
