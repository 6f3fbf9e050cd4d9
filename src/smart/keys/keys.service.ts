import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Repository } from 'typeorm';
import { TokenCipher } from '../crypto/token-cipher.js';
import { SigningKey } from './signing-key.entity.js';

const ALG = 'RS384';

/**
 * Our key pair for private_key_jwt (user launches and backend services). Made once, kept sealed in the
 * database so every instance and every restart signs with the same published key.
 */
@Injectable()
export class KeysService implements OnApplicationBootstrap {
  private active?: SigningKey;

  constructor(
    @InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>,
    private readonly cipher: TokenCipher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.activeKey();
  }

  private async activeKey(): Promise<SigningKey> {
    if (this.active) return this.active;
    let key = await this.keys.findOne({ where: { active: true }, order: { createdAt: 'DESC' } });
    if (!key) {
      const { publicKey, privateKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
      const kid = randomUUID();
      const pub = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig', key_ops: ['verify'] };
      const priv = { ...(await exportJWK(privateKey)), kid, alg: ALG };
      await this.keys.createQueryBuilder().insert().values({ kid, alg: ALG, publicJwk: pub, privateJwkEnc: this.cipher.encryptJson(priv), active: true }).orIgnore().execute();
      key = await this.keys.findOneOrFail({ where: { active: true }, order: { createdAt: 'DESC' } });
    }
    this.active = key;
    return key;
  }

  /** The JWKS we publish at /.well-known/jwks.json: public halves only. */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    const all = await this.keys.find({ where: { active: true } });
    return { keys: all.map((k) => k.publicJwk as JWK) };
  }

  /** The private JWK, for signing client assertions. Never leaves the process. */
  async privateJwk(): Promise<JWK & { kid: string; alg: string }> {
    const key = await this.activeKey();
    return this.cipher.decryptJson<JWK & { kid: string; alg: string }>(key.privateJwkEnc);
  }
}
