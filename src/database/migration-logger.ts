import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's migration progress on standard output, as its default logger prints it, but without the error message it
 * appends to a failed migration (`Migration "X" failed, error: …`): a driver's message can quote a value, and the
 * error's one line (cliErrorLine) names it by name and code. Nothing else is printed (TypeORM's default logger also
 * prints a slow query with its parameters).
 */
export class MigrationProgressLogger implements TypeOrmLogger {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  logMigration(message: string): void {
    this.write(message.replace(/,? error:[\s\S]*$/, ''));
  }

  logQuery(): void {}
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  log(): void {}
}
