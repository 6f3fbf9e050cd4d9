// Pseudonymous participant ids for exports: HMAC-SHA256 of the internal participant id under a key that
// never leaves the deployment. The same participant gets the same pseudonym in every export (so exports
// can be linked over time), but without the key it cannot be reversed or recomputed from an id.
import { createHmac, hkdfSync } from 'node:crypto';

export const PSEUDONYM_LABEL = 'report-pseudonym';

/**
 * The pseudonym key, derived by HKDF-SHA256 from the deployment's first token-encryption key. A separate
 * key (by its label) so that pseudonyms reveal nothing about the key that protects tokens. Rotating the
 * first encryption key therefore changes every pseudonym: say so in the release notes when rotating.
 */
export function derivePseudonymKey(encryptionKey: Buffer): Buffer {
  if (encryptionKey.length < 32) throw new RangeError('the encryption key must be at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), PSEUDONYM_LABEL, 32));
}

export class Pseudonymizer {
  private readonly cache = new Map<string, string>();

  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new RangeError('the pseudonym key must be at least 32 bytes');
  }

  /** `P-` and 96 bits of the HMAC in hex: collisions are negligible for any clinic's population. */
  of(internalId: string): string {
    let p = this.cache.get(internalId);
    if (p === undefined) {
      p = `P-${createHmac('sha256', this.key).update(internalId, 'utf8').digest('hex').slice(0, 24)}`;
      // A bounded memo: CSV rows repeat a participant's id for every timepoint and score.
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(internalId, p);
    }
    return p;
  }
}
