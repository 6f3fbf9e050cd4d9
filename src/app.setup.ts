import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { join } from 'node:path';
import { pinoHttp } from 'pino-http';
import { pinoHttpArgs } from './common/logging.js';
import { RETRY_AFTER_SETTING, writeError } from './common/errors/all-exceptions.filter.js';
import { admission } from './common/http/admission.js';
import { favicon } from './common/http/favicon.js';
import { requireKnownContentType } from './common/http/content-type.js';
import { rejectHostileBody, rejectHostileUrl, verifyJson, verifyUtf8 } from './common/http/hostile-input.js';
import { apiRateLimit, RateLimitCounts } from './common/http/rate-limit.js';
import { contributed, FORM_POST_PATHS } from './common/app-ports.js';
import { zodOpenApiConverter } from './common/http/zod-openapi.js';
import type { HttpConfig } from './config/http.config.js';
import { ErrorPage } from './common/errors/error-page.port.js';
import { RegistryService } from './smart/registry/registry.service.js';

/**
 * The Content-Security-Policy: framing is governed by frame-ancestors (the EHRs' registered origins, SMART apps run
 * in EHR iframes), not by X-Frame-Options. Static strings only, so helmet builds the header once.
 */
function contentSecurityPolicy(frameOrigins: readonly string[]) {
  const ehrs = frameOrigins.join(' ');
  return helmet.contentSecurityPolicy({
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      // The EHRs' registered origins may frame the app.
      frameAncestors: ehrs ? ["'self'", ehrs] : ["'self'"],
      // The app reads the EHR's smart_style_url from the EHR's own origin.
      connectSrc: ehrs ? ["'self'", ehrs] : ["'self'"],
      formAction: ["'self'"],
      upgradeInsecureRequests: null,
    },
  });
}

/**
 * Everything around the routes: security headers, body limits, content types, CORS, OpenAPI.
 * Shared by main.ts and the e2e tests so both run the same stack. Call before `init()`/`listen()`.
 */
export function configureApp(app: NestExpressApplication, http: HttpConfig): void {
  const logger = new Logger('Http');
  const registry = app.get(RegistryService);
  // Endpoints that take OAuth-style form posts (the sandbox EHR's, when mounted); every other body must be JSON.
  const formPosts = contributed<string[]>(app, FORM_POST_PATHS) ?? [];
  app.use(pinoHttp(...pinoHttpArgs(http)));
  app.disable('x-powered-by');
  // No automatic ETag (a SHA-1 of every JSON answer): /api and /smart answers are no-store, so no client revalidates
  // them; routes with a real version (questionnaire responses) set their own, and static files keep serve-static's.
  app.set('etag', false);
  if (http.trustProxy) app.set('trust proxy', 1);
  // helmet's CSP recomputes and re-validates the whole header on every request when a directive is a function (the
  // EHRs' origins); built once per list of origins instead (the registry replaces its list on every change).
  app.use(helmet({ frameguard: false, contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
  let csp: { origins: readonly string[]; middleware: ReturnType<typeof helmet.contentSecurityPolicy> } | undefined;
  app.use((req: Request, res: Response, next: NextFunction) => {
    const origins = registry.allowedFrameOrigins();
    if (csp?.origins !== origins) csp = { origins, middleware: contentSecurityPolicy(origins) };
    csp.middleware(req, res, next);
  });
  app.use(favicon());
  app.use(apiRateLimit(http.rateLimitTtlMs, http.rateLimitMax, app.get(RateLimitCounts).store));
  // NUL and unpaired surrogates never get past here (PostgreSQL refuses them: a 500 otherwise).
  app.use(rejectHostileUrl());
  // Only the routes that read a cookie (the session, the launch binding) parse them: not probes, static files, the sandbox.
  app.use(['/api', '/smart'], cookieParser());
  // Patient data, CSRF tokens and sign-in answers must never sit in a shared or browser cache.
  app.use(['/api', '/smart'], (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(requireKnownContentType(formPosts));
  app.use(express.json({ limit: http.bodyLimitBytes, type: ['application/json', 'application/fhir+json'], verify: verifyJson }));
  app.use(express.urlencoded({ limit: http.bodyLimitBytes, extended: false, verify: verifyUtf8 }));
  app.use(rejectHostileBody());
  // Overload sheds: beyond the places and the queue, 503 + Retry-After before any database work. Other routes (a
  // mounted sandbox EHR) are left out: our own requests call it over HTTP, and must not wait for a place they hold.
  app.set(RETRY_AFTER_SETTING, http.retryAfterSeconds);
  app.use(['/api', '/smart'], admission({ maxInFlight: http.maxInFlight, maxQueued: http.maxQueued, queueTimeoutMs: http.queueTimeoutMs }));
  // Errors raised by the middleware above never reach Nest's filters; answer them the same way. A browser's navigation
  // to /smart/* (a launch or callback, with a person at the screen) gets the sign-in page the launch controller shows
  // for its own refusals, not raw JSON (the smart module's ErrorPage, as in the error filter).
  const page = app.get(ErrorPage);
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (!res.headersSent && page.send(err, req, res, logger)) return;
    writeError(err, req, res, logger);
  });
  // The browser app the EHR opens (smart-launch/, built by `npm run build:ui`): served by us (clinic networks are closed).
  app.useStaticAssets(join(process.cwd(), 'smart-launch', 'dist'), { prefix: '/app/', index: 'index.html', fallthrough: true });
  if (http.corsOrigins.length) app.enableCors({ origin: http.corsOrigins, credentials: true });

  const doc = new DocumentBuilder()
    .setTitle('ALS wellness care module')
    .setDescription('SMART-on-FHIR app: wellness program, outcome questionnaires, EHR write-back, outcome reports.')
    .setVersion('0.1.0')
    .build();
  // Request bodies and queries are documented from the zod schemas that validate them (common/http/zod-params.ts).
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc, { standardSchemaConverter: zodOpenApiConverter }), {
    jsonDocumentUrl: 'api/docs-json',
  });
}
