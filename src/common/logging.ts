import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import type { HttpConfig } from '../config/http.config.js';
import { REDACT_PATHS, redactUrl } from './http/redact.js';
import { requestId, type IdentifiedRequest } from './http/request-id.js';

/**
 * Structured JSON logs with our request id on every line (a client's correlation id on the request line).
 * Request bodies and headers are never logged; secret query parameters are redacted from URLs.
 */
export function pinoHttpOptions(http: HttpConfig): Options {
  return {
    level: http.logLevel,
    genReqId: requestId,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: {
      // The wrapped request carries the raw one: the client's correlation id (see request-id.ts) sits there.
      req: (req: IncomingMessage & { id?: string; raw?: IdentifiedRequest }) => ({
        id: req.id,
        correlationId: req.raw?.correlationId,
        method: req.method,
        url: redactUrl(req.url ?? ''),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: { name?: string; message?: string; type?: string }) => ({
        name: err?.name,
        type: err?.type,
        message: typeof err?.message === 'string' ? err.message.slice(0, 300) : undefined,
      }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/live') },
  };
}
