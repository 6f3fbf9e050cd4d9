import type { SandboxFhirContextItem } from './launch-fhir-context.js';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** An EHR launch context created by `/sandbox/launch`: short-lived and consumed by its first authorization. */
@Entity('sandbox_launch')
export class SandboxLaunch {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  userRef!: string;

  @Column({ type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ type: 'text', nullable: true })
  encounterId!: string | null;

  /** SMART 2.2 `fhirContext` items of the launch (a Questionnaire canonical, a Task reference), answered in the token response. */
  @Column({ type: 'jsonb', nullable: true })
  fhirContext!: SandboxFhirContextItem[] | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

/** One authorization request, from `/authorize` through approval to its (single-use) code. */
@Entity('sandbox_authorization')
@Index('idx_sandbox_authorization_code', ['codeHash'], { unique: true })
export class SandboxAuthorization {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  clientId!: string;

  @Column({ type: 'text' })
  redirectUri!: string;

  @Column({ type: 'text' })
  state!: string;

  /** The granted scopes, space-separated. */
  @Column({ type: 'text' })
  scope!: string;

  @Column({ type: 'text' })
  codeChallenge!: string;

  @Column({ type: 'text', nullable: true })
  nonce!: string | null;

  @Column({ type: 'boolean' })
  ehrLaunch!: boolean;

  @Column({ type: 'text', nullable: true })
  userRef!: string | null;

  @Column({ type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ type: 'text', nullable: true })
  encounterId!: string | null;

  /** SMART 2.2 `fhirContext` items of the launch (a Questionnaire canonical, a Task reference), answered in the token response. */
  @Column({ type: 'jsonb', nullable: true })
  fhirContext!: SandboxFhirContextItem[] | null;

  /** SHA-256 of the authorization code, set on approval; the code itself is never stored. */
  @Column({ type: 'text', nullable: true })
  codeHash!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Until approval: how long the request may wait; after: the code's 60-second lifetime. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

export type SandboxTokenKind = 'access' | 'refresh';

/** An issued access or refresh token, keyed by its SHA-256; the token itself is never stored. */
@Entity('sandbox_token')
@Index('idx_sandbox_token_authorization', ['authorizationId'])
export class SandboxToken {
  @PrimaryColumn({ type: 'text' })
  tokenHash!: string;

  @Column({ type: 'text' })
  kind!: SandboxTokenKind;

  @Column({ type: 'text' })
  clientId!: string;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ type: 'text', nullable: true })
  userRef!: string | null;

  @Column({ type: 'text', nullable: true })
  patientId!: string | null;

  @Column({ type: 'text', nullable: true })
  encounterId!: string | null;

  /** SMART 2.2 `fhirContext` items of the launch (a Questionnaire canonical, a Task reference), answered in the token response. */
  @Column({ type: 'jsonb', nullable: true })
  fhirContext!: SandboxFhirContextItem[] | null;

  /** The authorization (code) the token descends from: a replayed code revokes them all. */
  @Column({ type: 'uuid', nullable: true })
  authorizationId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
