import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * fhirclient's storage for one launch in flight (state, PKCE verifier, endpoints), bound to the browser
 * that started it and usable once. The key is a hash of (browser binding, fhirclient key); data is sealed.
 */
@Entity('smart_launch_state')
export class LaunchState {
  @PrimaryColumn({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @Column({ name: 'data_enc', type: 'text' })
  dataEnc!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
