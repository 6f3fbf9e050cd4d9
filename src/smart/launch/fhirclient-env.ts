import type { Response } from 'express';
import { createRequire } from 'node:module';
import type { DbLaunchStorage } from './db-launch-storage.js';

const require = createRequire(import.meta.url);
// fhirclient's Node entry is CommonJS.
const smart = require('fhirclient/lib/entry/node') as (req: unknown, res: unknown, storage: unknown) => SmartApi;

export interface SmartApi {
  authorize(options: Record<string, unknown>): Promise<string | void>;
  ready(): Promise<{ state: Record<string, unknown> & { tokenResponse?: Record<string, unknown> } }>;
}

/**
 * fhirclient reads `iss`, `fhirServiceUrl`, `clientId`, `patientId`, `launch`, `code`, `state` from the
 * request URL and trusts Host/X-Forwarded headers. We never hand it the real request: it gets a
 * synthetic one whose URL holds only the parameters we have checked, on our configured public origin.
 */
export function smartApi(publicUrl: string, path: string, params: Record<string, string>, res: Response, storage: DbLaunchStorage): SmartApi {
  const base = new URL(publicUrl);
  const query = new URLSearchParams(params).toString();
  const request = {
    url: `${path}${query ? `?${query}` : ''}`,
    headers: { host: base.host, 'x-forwarded-proto': base.protocol.replace(':', '') },
    socket: { encrypted: base.protocol === 'https:' },
  };
  return smart(request, res, storage);
}
