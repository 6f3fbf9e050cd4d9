import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Our own key pairs for private_key_jwt; the public halves are published at /.well-known/jwks.json. */
@Entity('app_signing_key')
export class SigningKey {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  alg!: string;

  @Column({ type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  @Column({ type: 'text' })
  privateJwkEnc!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
