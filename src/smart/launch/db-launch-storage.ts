import { createHash } from 'node:crypto';
import { LessThan, type Repository } from 'typeorm';
import type { TokenCipher } from '../crypto/token-cipher.js';
import { LaunchState } from './launch-state.entity.js';

const LAUNCH_TTL_MS = 10 * 60 * 1000;

/**
 * fhirclient's storage (get/set/unset), kept in the database, sealed, and bound to one browser: rows are
 * keyed by a hash of (browser binding cookie, key), so a callback from another browser — or without the
 * cookie — finds no state. Replaces fhirclient's default `req.session` storage, which would hold the
 * PKCE verifier and client secret in a cookie session.
 */
export class DbLaunchStorage {
  constructor(
    private readonly repo: Repository<LaunchState>,
    private readonly cipher: TokenCipher,
    private readonly binding: string,
  ) {}

  private hash(key: string): string {
    return createHash('sha256').update(`${this.binding}\u0000${key}`).digest('hex');
  }

  async get(key: string): Promise<unknown> {
    if (typeof key !== 'string' || !key) return undefined;
    const row = await this.repo.findOneBy({ keyHash: this.hash(key) });
    if (!row || row.expiresAt.getTime() < Date.now()) return undefined;
    return this.cipher.decryptJson(row.dataEnc);
  }

  async set(key: string, value: unknown): Promise<unknown> {
    await this.repo.upsert(
      { keyHash: this.hash(key), dataEnc: this.cipher.encryptJson(value), expiresAt: new Date(Date.now() + LAUNCH_TTL_MS) },
      ['keyHash'],
    );
    return value;
  }

  async unset(key: string): Promise<boolean> {
    if (typeof key !== 'string' || !key) return false;
    const result = await this.repo.delete({ keyHash: this.hash(key) });
    return (result.affected ?? 0) > 0;
  }

  /** Removes launches abandoned long ago, whoever started them. */
  static async sweep(repo: Repository<LaunchState>): Promise<void> {
    await repo.delete({ expiresAt: LessThan(new Date()) });
  }
}
