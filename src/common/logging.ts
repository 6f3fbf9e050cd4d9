import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Options } from 'pino-http';
import type { LogSettings } from './log-settings.js';
import { REDACT_PATHS, redactUrl } from './http/redact.js';
import { requestId, type IdentifiedRequest } from './http/request-id.js';

/**
 * Structured JSON logs with our request id on every line (a client's correlation id on the request line).
 * Request bodies and headers are never logged; secret query parameters are redacted from URLs.
 */
export function pinoHttpOptions(http: LogSettings): Options {
  return {
    level: http.logLevel,
    genReqId: requestId,
    // One child logger a request, not two: pino-http binds the request to a child under the `req` attribute key
    // (`log.child({ [req]: req })`), and quietReqLogger would add a second child for the id. Named `requestId`, with
    // the serializer below, that one child carries our request id on every line of the request (Nest's through
    // nestjs-pino too); the completion line adds the request's own fields (customSuccessObject / customErrorObject).
    customAttributeKeys: { req: 'requestId' },
    customSuccessObject: (req, _res, val: object) => ({ req, ...val }),
    customErrorObject: (req, _res, _err, val: object) => ({ req, ...val }),
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    // The serializers get the raw objects (no pino-std-serializers copy of every header first, which cost more
    // than the line itself): each request is logged once, at its end, with these few fields.
    wrapSerializers: false,
    serializers: {
      requestId: (req: IdentifiedRequest) => req.id,
      // The client's correlation id (see request-id.ts) sits on the request; originalUrl is the URL as received.
      req: (req: IncomingMessage & IdentifiedRequest & { originalUrl?: string }) => ({
        id: req.id,
        correlationId: req.correlationId,
        method: req.method,
        url: redactUrl(req.originalUrl ?? req.url ?? ''),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: { name?: string; message?: string; type?: string; constructor?: { name?: string } }) => ({
        name: err?.name,
        type: err?.type ?? err?.constructor?.name,
        message: typeof err?.message === 'string' ? err.message.slice(0, 300) : undefined,
      }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/live') },
  };
}

/**
 * JSON unless a person is watching: `auto` (the default) is readable when standard output is a terminal and one
 * JSON object a line anywhere else (a pipe, a file, a container's log collector); LOG_FORMAT=json|pretty decides.
 */
export function resolveLogFormat(setting: LogSettings['logFormat'], stdoutIsTerminal: boolean): 'json' | 'pretty' {
  if (setting === 'auto') return stdoutIsTerminal ? 'pretty' : 'json';
  return setting;
}

type LogLine = Record<string, unknown> & {
  context?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
};

/** One readable line per entry: `HH:MM:ss INFO [Context] message`, a request as `GET /path 200 12 ms (id)`. */
function prettyMessage(log: LogLine, messageKey: string): string {
  const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
  const message = typeof log[messageKey] === 'string' ? (log[messageKey] as string) : '';
  if (log.req?.method && log.res?.statusCode !== undefined) {
    const time = typeof log.responseTime === 'number' ? ` ${log.responseTime} ms` : '';
    const id = typeof log.requestId === 'string' ? ` (${log.requestId})` : '';
    return `${log.req.method} ${log.req.url ?? ''} ${log.res.statusCode}${time}${id}`;
  }
  return `${context}${message}`;
}

/**
 * The readable form, written in this process and synchronously (not pino's worker-thread transport), so that its
 * lines keep their order with what main.ts prints itself: the URL to open stays the last line of start-up.
 */
export function prettyLogStream(destination?: NodeJS.WritableStream): DestinationStream {
  return pinoPretty({
    sync: true,
    ...(destination ? { destination } : {}),
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,context,req,res,responseTime,requestId',
    singleLine: true,
    messageFormat: (log, messageKey) => prettyMessage(log as LogLine, messageKey),
  });
}

/** pino-http's arguments, `pinoHttp(...pinoHttpArgs(http))`: the options, and the readable stream when the format is pretty. */
export function pinoHttpArgs(http: LogSettings, stdoutIsTerminal = process.stdout.isTTY === true): [Options, DestinationStream?] {
  const options = pinoHttpOptions(http);
  return resolveLogFormat(http.logFormat, stdoutIsTerminal) === 'pretty' ? [options, prettyLogStream()] : [options];
}

/** The same for nestjs-pino's `pinoHttp` parameter (Nest's own log lines). */
export function pinoHttpParams(http: LogSettings): Options | [Options, DestinationStream] {
  const args = pinoHttpArgs(http);
  return args[1] ? [args[0], args[1]] : args[0];
}
