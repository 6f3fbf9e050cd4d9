import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * fhirclient's storage for one launch in flight (state, PKCE verifier, endpoints), bound to the browser
 * that started it and usable once. The key is a hash of (browser binding, fhirclient key); data is sealed.
 */
@Entity('smart_launch_state')
export class LaunchState {
  @PrimaryColumn({ type: 'text' })
  keyHash!: string;

  @Column({ type: 'text' })
  dataEnc!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
