import type { MigrationInterface } from 'typeorm';
import { SandboxEhr1795000010001 } from './1795000010001-sandbox-ehr.js';
import { SandboxLaunchFhirContext1795000020010 } from './1795000020010-sandbox-launch-fhir-context.js';

/** The sandbox's own migrations, in order; recorded in its own table (`sandbox_migrations`), not in `migrations`. */
export const sandboxMigrations: (new () => MigrationInterface & { name: string })[] = [SandboxEhr1795000010001, SandboxLaunchFhirContext1795000020010];
