import type { CookieOptions, Response } from 'express';

export const SESSION_COOKIE = 'als_session';
export const LAUNCH_COOKIE = 'als_launch';

/**
 * Cookies that survive inside an EHR's iframe: over TLS `Secure; SameSite=None; Partitioned` (CHIPS);
 * on plain http (local development) `SameSite=Lax`, which browsers require without Secure.
 */
export function cookieOptions(publicUrl: string, maxAgeMs: number, path = '/'): CookieOptions {
  const tls = publicUrl.startsWith('https://');
  return {
    httpOnly: true,
    path,
    maxAge: maxAgeMs,
    secure: tls,
    sameSite: tls ? 'none' : 'lax',
    ...(tls ? { partitioned: true } : {}),
  };
}

export function clearCookie(res: Response, name: string, publicUrl: string, path = '/'): void {
  const { maxAge: _m, ...opts } = cookieOptions(publicUrl, 0, path);
  res.clearCookie(name, opts);
}
