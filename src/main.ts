import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { ConfigError, validateAllConfig } from './config/index.js';
import { DatabaseUnreachableError } from './database/database-endpoint.js';
import { loadFhirConfig } from './config/fhir.config.js';
import { loadHttpConfig } from './config/http.config.js';
import { parseConfigRegistrations } from './smart/registry/registration.schema.js';
import { contributed, READY_NOTICE, type ReadyNotice } from './common/app-ports.js';
import { collectAndRelease, IdleGc, idleGcMiddleware } from './common/idle-gc.js';

/** The idle collection of the running service (IDLE_GC_SECONDS), saying at debug level what each one gave back. */
function startIdleGc(seconds: number, log: { debug(msg: string): void; warn(msg: string): void }): IdleGc {
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
  return new IdleGc(
    seconds * 1000,
    async () => {
      const before = process.memoryUsage.rss();
      await collectAndRelease();
      log.debug(`Idle garbage collection: RSS ${mb(before)} → ${mb(process.memoryUsage.rss())}`);
    },
    (err) => log.warn(`Idle garbage collection failed: ${err instanceof Error ? err.message : String(err)}`),
  );
}

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  validateAllConfig();
  parseConfigRegistrations(loadFhirConfig().ehrRegistrations); // each EHR_REGISTRATIONS entry, before Nest starts
  const http = loadHttpConfig();
  // The app graph is loaded only now, once the configuration is known good: a refused start stops in a fraction of
  // the time, and the modules that decide at import what to mount (the sandbox) see the settings .env gave.
  const [{ NestFactory }, { Logger }, { AppModule }, { configureApp }] = await Promise.all([
    import('@nestjs/core'),
    import('nestjs-pino'),
    import('./app.module.js'),
    import('./app.setup.js'),
  ]);
  // Logs stay buffered until our logger takes over and are dropped if start fails: main's catch prints one line
  // instead of Nest's coloured exception dump; abortOnError: false hands the failure to that catch.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true, autoFlushLogs: false, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const idleGc = http.idleGcSeconds > 0 ? startIdleGc(http.idleGcSeconds, app.get(Logger)) : undefined;
  if (idleGc) app.use(idleGcMiddleware(idleGc)); // first, so that every request counts
  configureApp(app, http);
  await app.listen(http.port, http.host);
  // Close the pool and the embedded database cleanly, then exit 0: a stop is not a crash.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      idleGc?.stop();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  app.get(Logger).log(`Service ready at ${http.publicUrl} (API docs: ${http.publicUrl}/api/docs)`);
  const notice = contributed<ReadyNotice>(app, READY_NOTICE);
  // Plain text on purpose: the one line a person starting the service for the first time needs (the sandbox's).
  if (notice) process.stdout.write(`\n${notice(http.publicUrl)}\n\n`);
}

bootstrap().catch((err: unknown) => {
  // One line, no stack, no colour: configuration mistakes are the operator's to fix, not a crash to debug.
  const known = err instanceof ConfigError || err instanceof DatabaseUnreachableError;
  const message = known ? err.message : `Startup failed: ${err instanceof Error ? err.message : String(err)}`;
  // eslint-disable-next-line no-control-regex
  console.error(message.replace(/\u001b\[[0-9;]*m/g, '').replace(/\s*\n\s*/g, ' '));
  process.exit(1);
});
