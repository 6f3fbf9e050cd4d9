import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

export type ClientAuthMethod = 'client_secret_basic' | 'private_key_jwt';

/** An EHR the clinic uses: the only issuers a launch may come from. */
@Entity('ehr_registration')
@Unique('UQ_ehr_registration_issuer', ['issuer'])
@Check('CHK_ehr_registration_client_auth', `"client_auth" IN ('client_secret_basic', 'private_key_jwt')`)
export class EhrRegistration {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The FHIR base URL the EHR sends as `iss` (no trailing slash). */
  @Column({ type: 'text' })
  issuer!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'client_auth', type: 'text' })
  clientAuth!: ClientAuthMethod;

  /** Sealed with the token cipher; only for client_secret_basic. */
  @Column({ name: 'client_secret_enc', type: 'text', nullable: true })
  clientSecretEnc!: string | null;

  /** Space-separated scopes for user launches; null = the module's defaults. */
  @Column({ type: 'text', nullable: true })
  scopes!: string | null;

  /** Scopes for backend-services (system) tokens; null = none requested (no system access). */
  @Column({ name: 'system_scopes', type: 'text', nullable: true })
  systemScopes!: string | null;

  /** Origins allowed to frame the app (CSP frame-ancestors). */
  @Column({ name: 'frame_ancestors', type: 'jsonb', default: () => `'[]'` })
  frameAncestors!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
