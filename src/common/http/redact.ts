/** Query parameters whose values are secrets or one-time credentials; they never reach a log line. */
const SECRET_PARAMS = /^(code|state|launch|token|access_token|refresh_token|id_token|client_secret|client_assertion|code_verifier|session|password)$/i;

/** Replaces secret query values in a URL with `[REDACTED]`, keeping the path and harmless parameters. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) {
    if (SECRET_PARAMS.test(key)) params.set(key, '[REDACTED]');
  }
  return `${url.slice(0, q)}?${params.toString()}`;
}

/** Paths pino removes from every log object (headers are not logged at all, these are belts and braces). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.client_secret',
  '*.code_verifier',
  '*.password',
  '*.token',
];
