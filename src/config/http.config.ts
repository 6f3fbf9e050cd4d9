import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { bool, httpUrl, list, port, positiveInt, readEnv } from './env.js';
import type { LogSettings } from '../common/log-settings.js';

/** The HTTP area, with the log settings (LOG_LEVEL, LOG_FORMAT) common's logging reads. */
export interface HttpConfig extends LogSettings {
  host: string;
  port: number;
  /** Absolute URL the browser and the EHR use to reach us; redirect URIs are built from it, never from Host. */
  publicUrl: string;
  bodyLimitBytes: number;
  corsOrigins: string[];
  rateLimitTtlMs: number;
  rateLimitMax: number;
  trustProxy: boolean;
  /** Requests to /api and /smart in progress at once; more wait in a queue of `maxQueued` for `queueTimeoutMs`. */
  maxInFlight: number;
  maxQueued: number;
  queueTimeoutMs: number;
  /** Retry-After (seconds) on a 503 the service sheds under load. */
  retryAfterSeconds: number;
  /** Quiet seconds after which one full, memory-returning garbage collection runs (common/idle-gc.ts); 0 = never. */
  idleGcSeconds: number;
}

export function loadHttpConfig(env: NodeJS.ProcessEnv = process.env): HttpConfig {
  const p = readEnv(env, 'PORT', port(3000), 'a port number between 0 and 65535');
  return {
    host: readEnv(env, 'HOST', z.string().min(1).default('127.0.0.1'), 'a host name or IP address'),
    port: p,
    publicUrl: readEnv(env, 'PUBLIC_URL', httpUrl.optional(), 'an absolute http(s) URL') ?? `http://localhost:${p}`,
    bodyLimitBytes: readEnv(env, 'BODY_LIMIT_BYTES', positiveInt(1024 * 1024), 'a positive integer (bytes)'),
    corsOrigins: readEnv(env, 'CORS_ORIGINS', list, 'a comma-separated list of origins'),
    rateLimitTtlMs: readEnv(env, 'RATE_LIMIT_TTL_MS', positiveInt(60000), 'a positive integer (milliseconds)'),
    rateLimitMax: readEnv(env, 'RATE_LIMIT_MAX', positiveInt(600), 'a positive integer'),
    trustProxy: readEnv(env, 'TRUST_PROXY', bool(false), 'true or false'),
    maxInFlight: readEnv(env, 'HTTP_MAX_IN_FLIGHT', positiveInt(64), 'a positive integer'),
    maxQueued: readEnv(env, 'HTTP_MAX_QUEUED', z.coerce.number().int().min(0).default(256), 'a whole number (0 = no queue)'),
    queueTimeoutMs: readEnv(env, 'HTTP_QUEUE_TIMEOUT_MS', positiveInt(10000), 'a positive integer (milliseconds)'),
    retryAfterSeconds: readEnv(env, 'RETRY_AFTER_SECONDS', positiveInt(5), 'a positive integer (seconds)'),
    idleGcSeconds: readEnv(env, 'IDLE_GC_SECONDS', z.coerce.number().int().min(0).max(3600).default(5), 'a whole number of seconds from 0 (off) to 3600'),
    logLevel: readEnv(
      env,
      'LOG_LEVEL',
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      'one of fatal, error, warn, info, debug, trace, silent',
    ),
    logFormat: readEnv(env, 'LOG_FORMAT', z.enum(['auto', 'json', 'pretty']).default('auto'), 'one of auto, json, pretty'),
  };
}

export const httpConfig = registerAs('http', () => loadHttpConfig());
