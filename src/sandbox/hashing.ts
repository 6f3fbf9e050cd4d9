import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh unguessable credential (code, token, launch id): 256 bits, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Credentials are stored as SHA-256 digests only: a database dump reveals no usable token. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
