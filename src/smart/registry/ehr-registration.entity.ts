import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

import type { DeliveryOverrides } from '../../fhir/delivery/delivery-profile.js';

export type ClientAuthMethod = 'client_secret_basic' | 'private_key_jwt';
/** Whose credentials deliver write-backs: the service's own (backend services) or the launching user's. */
export type WriteBackAuth = 'system' | 'user';

/** An EHR the clinic uses: the only issuers a launch may come from. */
@Entity('ehr_registration')
@Unique('UQ_ehr_registration_issuer', ['issuer'])
@Check('CHK_ehr_registration_client_auth', `"client_auth" IN ('client_secret_basic', 'private_key_jwt')`)
@Check('CHK_ehr_registration_write_back_auth', `"write_back_auth" IN ('system', 'user')`)
export class EhrRegistration {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The FHIR base URL the EHR sends as `iss` (no trailing slash). */
  @Column({ type: 'text' })
  issuer!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  clientId!: string;

  @Column({ type: 'text' })
  clientAuth!: ClientAuthMethod;

  /** Sealed with the token cipher; only for client_secret_basic. */
  @Column({ type: 'text', nullable: true })
  clientSecretEnc!: string | null;

  /** Space-separated scopes for user launches; null = the module's defaults. */
  @Column({ type: 'text', nullable: true })
  scopes!: string | null;

  /** Scopes for backend-services (system) tokens; null = none requested (no system access). */
  @Column({ type: 'text', nullable: true })
  systemScopes!: string | null;

  /** Origins allowed to frame the app (CSP frame-ancestors). */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  frameAncestors!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** The FHIR base write-backs go to; null = the issuer (a wildcard issuer must name one). */
  @Column({ type: 'text', nullable: true })
  fhirBaseUrl!: string | null;

  /** Backend-services token endpoint; null = the one the write-back base's SMART configuration names. */
  @Column({ type: 'text', nullable: true })
  tokenEndpoint!: string | null;

  /** Backend-services client id; null = `clientId`. */
  @Column({ type: 'text', nullable: true })
  systemClientId!: string | null;

  @Column({ type: 'text', default: 'system' })
  writeBackAuth!: WriteBackAuth;

  /** Overrides of what the EHR's CapabilityStatement says: mode, largest Bundle, conditional writes. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  delivery!: DeliveryOverrides;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
