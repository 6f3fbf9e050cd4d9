import type { ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import {
  databaseConfig,
  fhirConfig,
  httpConfig,
  securityConfig,
  type DatabaseConfig,
  type FhirConfig,
  type HttpConfig,
  type SecurityConfig,
} from '../../src/config/index.js';
import { loadDatabaseConfig } from '../../src/config/database.config.js';
import { loadFhirConfig } from '../../src/config/fhir.config.js';
import { loadHttpConfig } from '../../src/config/http.config.js';
import { loadSecurityConfig } from '../../src/config/security.config.js';
import { freePort } from './service-process.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestAppOptions {
  http?: Partial<HttpConfig>;
  security?: Partial<SecurityConfig>;
  fhir?: Partial<FhirConfig>;
  /** Database settings beside the suite's own database (for example a tiny pool for an overload drill). */
  database?: Partial<DatabaseConfig>;
  /** Extra controllers or providers a suite needs (for example a route that throws). */
  extra?: Pick<ModuleMetadata, 'controllers' | 'providers'>;
  /** Providers replaced wherever a module declares them (for example a port such as EhrSystemAuthorizer). */
  overrides?: { provide: unknown; useValue: unknown }[];
  /** Listen on a free loopback port, with PUBLIC_URL pointing at it, for flows that call the service over HTTP. */
  listen?: boolean;
  /**
   * Start from an empty database that the app migrates at boot, as a new deployment does (the migrations suite).
   * Otherwise the embedded database starts from the snapshot migrated once (test/support/pglite-snapshot.ts).
   */
  emptyDatabase?: boolean;
}

export interface TestApp {
  app: NestExpressApplication;
  db: TestDatabase;
  /** The service's PUBLIC_URL (reachable over HTTP only with `listen`). */
  url: string;
  close(): Promise<void>;
}

/** Builds the whole service, exactly as main.ts does, on a database of its own. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase({ migrated: !options.emptyDatabase });
  const env = {
    NODE_ENV: 'test',
    TOKEN_ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
  } as NodeJS.ProcessEnv;
  const database: DatabaseConfig = { ...loadDatabaseConfig(env), ...options.database, url: db.url, dataDir: db.dataDir, schema: db.schema, seedFrom: db.seedFrom };
  const port = options.listen ? await freePort() : undefined;
  const http: HttpConfig = {
    ...loadHttpConfig(env),
    logLevel: 'silent',
    ...options.http,
    ...(port ? { port, publicUrl: `http://127.0.0.1:${port}` } : {}),
  };
  const security: SecurityConfig = { ...loadSecurityConfig(env), ...options.security };
  const fhir: FhirConfig = { ...loadFhirConfig(env), ...options.fhir };

  let builder = Test.createTestingModule({
    imports: [AppModule],
    controllers: options.extra?.controllers ?? [],
    providers: options.extra?.providers ?? [],
  });
  for (const o of options.overrides ?? []) builder = builder.overrideProvider(o.provide).useValue(o.useValue);
  const moduleRef = await builder
    .overrideProvider(databaseConfig.KEY)
    .useValue(database)
    .overrideProvider(httpConfig.KEY)
    .useValue(http)
    .overrideProvider(securityConfig.KEY)
    .useValue(security)
    .overrideProvider(fhirConfig.KEY)
    .useValue(fhir)
    .compile();

  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureApp(app, http);
  if (port) await app.listen(port, '127.0.0.1');
  else await app.init();
  return {
    app,
    db,
    url: http.publicUrl,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
