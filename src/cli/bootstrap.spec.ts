import { DomainError } from '../common/errors/domain-error.js';
import { ConfigError } from '../config/index.js';
import { DatabaseUnreachableError } from '../database/database-endpoint.js';
import { cliErrorLine, MigrationProgressLogger } from './bootstrap.js';

// Synthetic values only: what a driver quotes from a row it was handling.
const QUOTED = 'Avery Sample, MRN 000-SYN-0001';

describe('cliErrorLine (what the migrate and registry CLIs print when they fail)', () => {
  it("names a database driver's error by its name and code, never by its message (which can quote a value)", () => {
    const driver = Object.assign(new Error(`invalid input syntax for type uuid: "${QUOTED}"`), { name: 'QueryFailedError', code: '22P02' });
    const line = cliErrorLine(driver, 'Migration failed');
    expect(line).toBe('Migration failed: stopped on an unexpected error (QueryFailedError, code 22P02); its message is not shown, as it may quote data.');
    expect(line).not.toContain('Avery');
  });

  it('says what our own errors say: configuration, an unreachable database, coded domain errors', () => {
    expect(cliErrorLine(new ConfigError('DATABASE_URL', 'must be a postgres:// URL'), 'Failed')).toContain('DATABASE_URL');
    expect(cliErrorLine(new DatabaseUnreachableError('127.0.0.1:1/x', 'ECONNREFUSED'), 'Failed')).toBe('Cannot reach the database named by DATABASE_URL (127.0.0.1:1/x): ECONNREFUSED');
    expect(cliErrorLine(new DomainError('REGISTRY.NOT_FOUND', 'No such EHR registration.'), 'Failed')).toBe('REGISTRY.NOT_FOUND: No such EHR registration.');
  });

  it('prints neither a name nor a code that is not a plain token, nor a thrown string', () => {
    const odd = Object.assign(new Error('x'), { name: `Error: value "${QUOTED}"`, code: { value: QUOTED } });
    expect(cliErrorLine(odd, 'Failed')).toBe('Failed: stopped on an unexpected error (Error); its message is not shown, as it may quote data.');
    expect(cliErrorLine(`a thrown string "${QUOTED}"`, 'Failed')).not.toContain('Avery');
  });
});

describe("MigrationProgressLogger (TypeORM's messages during `migrate run|revert|check`)", () => {
  it("prints the progress, and a failed migration's name without the driver's message", () => {
    const lines: string[] = [];
    const logger = new MigrationProgressLogger((line) => lines.push(line));
    logger.logMigration('Migration AddCohorts1700000000000 has been executed successfully.');
    logger.logMigration(`Migration "Backfill1700000000001" failed, error: invalid input syntax for type integer: "${QUOTED}"`);
    logger.logMigration(`Migrations failed, error: invalid input syntax for type integer: "${QUOTED}"`);
    logger.logQuerySlow();
    expect(lines).toEqual(['Migration AddCohorts1700000000000 has been executed successfully.', 'Migration "Backfill1700000000001" failed', 'Migrations failed']);
  });
});

describe('every data source (the service migrating at start-up too)', () => {
  it("logs migrations with MigrationProgressLogger, not TypeORM's default (which prints a failed migration's driver message)", async () => {
    const { dataSourceOptions } = await import('../database/data-source-options.js');
    const options = dataSourceOptions({ url: 'postgres://localhost/x', poolSize: 1, queryTimeoutMs: 1000 }, []);
    expect(options.logger).toBeInstanceOf(MigrationProgressLogger);
  });
});
