import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { EhrRegistration } from '../registry/ehr-registration.entity.js';
import { AppUser } from '../users/app-user.entity.js';

/**
 * A signed-in browser. The cookie holds a random id; only its SHA-256 is stored. Tokens are sealed with
 * the token cipher and never leave the server.
 */
@Entity('app_session')
@Index('idx_app_session_user', ['userId'])
export class AppSession {
  @PrimaryColumn({ name: 'id_hash', type: 'text' })
  idHash!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => AppUser)
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_app_session_user' })
  user?: Relation<AppUser>;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'FK_app_session_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ name: 'fhir_base', type: 'text' })
  fhirBase!: string;

  @Column({ name: 'patient_id', type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ name: 'encounter_id', type: 'text', nullable: true })
  encounterId!: string | null;

  @Column({ name: 'need_patient_banner', type: 'boolean', default: false })
  needPatientBanner!: boolean;

  @Column({ name: 'smart_style_url', type: 'text', nullable: true })
  smartStyleUrl!: string | null;

  @Column({ name: 'fhir_context', type: 'jsonb', nullable: true })
  fhirContext!: Record<string, unknown>[] | null;

  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken!: string;

  /** Sealed fhirclient state: token response, endpoints, scope. */
  @Column({ name: 'tokens_enc', type: 'text' })
  tokensEnc!: string;

  @Column({ name: 'access_expires_at', type: 'timestamptz', nullable: true })
  accessExpiresAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
