import type { JWK } from 'jose';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SandboxClientAuthMethod } from './sandbox-clients.js';

/** An OAuth client the sandbox EHR accepts, re-seeded at each boot so its URLs follow PUBLIC_URL. */
@Entity('sandbox_client')
export class SandboxClient {
  @PrimaryColumn({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'auth_method', type: 'text' })
  authMethod!: SandboxClientAuthMethod;

  /** SHA-256 of the client secret (client_secret_basic only). */
  @Column({ name: 'secret_hash', type: 'text', nullable: true })
  secretHash!: string | null;

  @Column({ name: 'jwks_uri', type: 'text', nullable: true })
  jwksUri!: string | null;

  @Column({ name: 'redirect_uris', type: 'text', array: true })
  redirectUris!: string[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Client-assertion ids seen until they expire, so an assertion cannot be replayed. */
@Entity('sandbox_assertion_jti')
export class SandboxAssertionJti {
  @PrimaryColumn({ name: 'client_id', type: 'text' })
  clientId!: string;

  @PrimaryColumn({ type: 'text' })
  jti!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

/**
 * The sandbox's own id_token signing key. Stored unencrypted: it signs tokens for synthetic users of a
 * development EHR that is refused in production, and it must survive restarts.
 */
@Entity('sandbox_signing_key')
export class SandboxSigningKey {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  alg!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: JWK;

  @Column({ name: 'private_jwk', type: 'jsonb' })
  privateJwk!: JWK;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
