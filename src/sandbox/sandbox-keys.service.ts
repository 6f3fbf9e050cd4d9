import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { Repository } from 'typeorm';
import { SandboxSigningKey } from './sandbox-client.entity.js';

const ALG = 'RS256';

interface Signer {
  kid: string;
  alg: string;
  key: Awaited<ReturnType<typeof importJWK>>;
}

export interface SignOptions {
  issuer: string;
  audience: string;
  subject: string;
  ttlSeconds: number;
}

/**
 * The sandbox EHR's id_token signing key: generated on first use and kept in the database, so tokens
 * issued before a restart still verify against `/sandbox/auth/jwks`.
 */
@Injectable()
export class SandboxKeys {
  private signer?: Promise<Signer>;

  constructor(@InjectRepository(SandboxSigningKey) private readonly keys: Repository<SandboxSigningKey>) {}

  async jwks(): Promise<{ keys: JWK[] }> {
    await this.signingKey();
    const rows = await this.keys.find({ order: { createdAt: 'ASC' } });
    return { keys: rows.map((r) => r.publicJwk) };
  }

  async sign(claims: JWTPayload, o: SignOptions): Promise<string> {
    const { kid, alg, key } = await this.signingKey();
    return new SignJWT(claims)
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setIssuer(o.issuer)
      .setAudience(o.audience)
      .setSubject(o.subject)
      .setIssuedAt()
      .setExpirationTime(`${o.ttlSeconds}s`)
      .sign(key);
  }

  private signingKey(): Promise<Signer> {
    this.signer ??= this.loadOrCreate().catch((e: unknown) => {
      this.signer = undefined; // let the next call retry rather than caching a failure
      throw e;
    });
    return this.signer;
  }

  private async loadOrCreate(): Promise<Signer> {
    let row = await this.oldest();
    if (!row) {
      const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
      const pub = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(pub);
      // Two instances starting together may both generate; the oldest key wins and both are published.
      await this.keys
        .createQueryBuilder()
        .insert()
        .values({ kid, alg: ALG, publicJwk: { ...pub, kid, alg: ALG, use: 'sig' }, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG } })
        .orIgnore()
        .execute();
      row = await this.oldest();
    }
    if (!row) throw new Error('The sandbox signing key could not be stored');
    return { kid: row.kid, alg: row.alg, key: await importJWK(row.privateJwk, row.alg) };
  }

  private async oldest(): Promise<SandboxSigningKey | null> {
    const [row] = await this.keys.find({ order: { createdAt: 'ASC', kid: 'ASC' }, take: 1 });
    return row ?? null;
  }
}
