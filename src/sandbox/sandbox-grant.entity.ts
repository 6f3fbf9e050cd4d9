import type { SandboxFhirContextItem } from './launch-fhir-context.js';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** An EHR launch context created by `/sandbox/launch`: short-lived and consumed by its first authorization. */
@Entity('sandbox_launch')
export class SandboxLaunch {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'user_ref', type: 'text' })
  userRef!: string;

  @Column({ name: 'patient_id', type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ name: 'encounter_id', type: 'text', nullable: true })
  encounterId!: string | null;

  /** SMART 2.2 `fhirContext` items of the launch (a Questionnaire canonical, a Task reference), answered in the token response. */
  @Column({ name: 'fhir_context', type: 'jsonb', nullable: true })
  fhirContext!: SandboxFhirContextItem[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

/** One authorization request, from `/authorize` through approval to its (single-use) code. */
@Entity('sandbox_authorization')
@Index('idx_sandbox_authorization_code', ['codeHash'], { unique: true })
export class SandboxAuthorization {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  @Column({ type: 'text' })
  state!: string;

  /** The granted scopes, space-separated. */
  @Column({ type: 'text' })
  scope!: string;

  @Column({ name: 'code_challenge', type: 'text' })
  codeChallenge!: string;

  @Column({ type: 'text', nullable: true })
  nonce!: string | null;

  @Column({ name: 'ehr_launch', type: 'boolean' })
  ehrLaunch!: boolean;

  @Column({ name: 'user_ref', type: 'text', nullable: true })
  userRef!: string | null;

  @Column({ name: 'patient_id', type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ name: 'encounter_id', type: 'text', nullable: true })
  encounterId!: string | null;

  /** SMART 2.2 `fhirContext` items of the launch (a Questionnaire canonical, a Task reference), answered in the token response. */
  @Column({ name: 'fhir_context', type: 'jsonb', nullable: true })
  fhirContext!: SandboxFhirContextItem[] | null;

  /** SHA-256 of the authorization code, set on approval; the code itself is never stored. */
  @Column({ name: 'code_hash', type: 'text', nullable: true })
  codeHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Until approval: how long the request may wait; after: the code's 60-second lifetime. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

export type SandboxTokenKind = 'access' | 'refresh';

/** An issued access or refresh token, keyed by its SHA-256; the token itself is never stored. */
@Entity('sandbox_token')
@Index('idx_sandbox_token_authorization', ['authorizationId'])
export class SandboxToken {
  @PrimaryColumn({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ type: 'text' })
  kind!: SandboxTokenKind;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ name: 'user_ref', type: 'text', nullable: true })
  userRef!: string | null;

  @Column({ name: 'patient_id', type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ name: 'encounter_id', type: 'text', nullable: true })
  encounterId!: string | null;

  /** SMART 2.2 `fhirContext` items of the launch (a Questionnaire canonical, a Task reference), answered in the token response. */
  @Column({ name: 'fhir_context', type: 'jsonb', nullable: true })
  fhirContext!: SandboxFhirContextItem[] | null;

  /** The authorization (code) the token descends from: a replayed code revokes them all. */
  @Column({ name: 'authorization_id', type: 'uuid', nullable: true })
  authorizationId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
