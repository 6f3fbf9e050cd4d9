import type { JWK } from 'jose';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SandboxClientAuthMethod } from './sandbox-clients.js';

/** An OAuth client the sandbox EHR accepts, re-seeded at each boot so its URLs follow PUBLIC_URL. */
@Entity('sandbox_client')
export class SandboxClient {
  @PrimaryColumn({ type: 'text' })
  clientId!: string;

  @Column({ type: 'text' })
  authMethod!: SandboxClientAuthMethod;

  /** SHA-256 of the client secret (client_secret_basic only). */
  @Column({ type: 'text', nullable: true })
  secretHash!: string | null;

  @Column({ type: 'text', nullable: true })
  jwksUri!: string | null;

  @Column({ type: 'text', array: true })
  redirectUris!: string[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Client-assertion ids seen until they expire, so an assertion cannot be replayed. */
@Entity('sandbox_assertion_jti')
export class SandboxAssertionJti {
  @PrimaryColumn({ type: 'text' })
  clientId!: string;

  @PrimaryColumn({ type: 'text' })
  jti!: string;

  @Column({ type: 'timestamptz' })
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

  @Column({ type: 'jsonb' })
  publicJwk!: JWK;

  @Column({ type: 'jsonb' })
  privateJwk!: JWK;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
