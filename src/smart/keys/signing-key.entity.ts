import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Our own key pairs for private_key_jwt; the public halves are published at /.well-known/jwks.json. */
@Entity('app_signing_key')
export class SigningKey {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  alg!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  @Column({ name: 'private_jwk_enc', type: 'text' })
  privateJwkEnc!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
