import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { LaunchTask } from '../../fhir/task-completion.js';
import { EhrRegistration } from '../registry/ehr-registration.entity.js';
import { AppUser } from '../users/app-user.entity.js';

/**
 * A signed-in browser. The cookie holds a random id; only its SHA-256 is stored. Tokens are sealed with
 * the token cipher and never leave the server.
 */
@Entity('app_session')
@Index('idx_app_session_user', ['userId'])
export class AppSession {
  @PrimaryColumn({ type: 'text' })
  idHash!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => AppUser)
  @JoinColumn({ foreignKeyConstraintName: 'FK_app_session_user' })
  user?: Relation<AppUser>;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_app_session_registration' })
  registration?: Relation<EhrRegistration>;

  @Column({ type: 'text' })
  fhirBase!: string;

  @Column({ type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ type: 'text', nullable: true })
  encounterId!: string | null;

  @Column({ type: 'boolean', default: false })
  needPatientBanner!: boolean;

  @Column({ type: 'text', nullable: true })
  smartStyleUrl!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  fhirContext!: Record<string, unknown>[] | null;

  /**
   * The EHR's Task the launch named, once the app opened the form it asks for (`GET /api/context/form`): its id,
   * version then, and the form. The first response to that form submitted in this session completes it (then cleared).
   */
  @Column({ type: 'jsonb', nullable: true })
  launchTask!: LaunchTask | null;

  @Column({ type: 'text' })
  csrfToken!: string;

  /** Sealed fhirclient state: token response, endpoints, scope. */
  @Column({ type: 'text' })
  tokensEnc!: string;

  @Column({ type: 'timestamptz', nullable: true })
  accessExpiresAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
