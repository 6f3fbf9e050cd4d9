import type { Resource } from 'fhir/r4.js';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The current version of every resource in the sandbox EHR, with the columns searches need. Expression and
 * GIN indexes are created by the migration; `synchronize: false` tells the drift check they are intended.
 */
@Entity('sandbox_resource')
@Index('idx_sandbox_resource_patient', ['resourceType', 'patientRef'])
@Index('idx_sandbox_resource_date', ['resourceType', 'mainDate'])
@Index('idx_sandbox_resource_updated', ['resourceType', 'lastUpdated'])
@Index('idx_sandbox_resource_refs', { synchronize: false })
@Index('idx_sandbox_resource_identifier', { synchronize: false })
export class SandboxResource {
  @PrimaryColumn({ type: 'text' })
  resourceType!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'integer' })
  versionId!: number;

  @Column({ type: 'timestamptz' })
  lastUpdated!: Date;

  @Column({ type: 'jsonb' })
  resource!: Resource;

  /** `Patient/<id>` of the compartment the resource belongs to. */
  @Column({ type: 'text', nullable: true })
  patientRef!: string | null;

  /** `param=Type/id` entries for reference searches (GIN-indexed). */
  @Column({ type: 'text', array: true })
  refs!: string[];

  @Column({ type: 'timestamptz', nullable: true })
  mainDate!: Date | null;
}

/** Every version of every resource, current one included: vread and history read from here. */
@Entity('sandbox_resource_version')
export class SandboxResourceVersion {
  @PrimaryColumn({ type: 'text' })
  resourceType!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @PrimaryColumn({ type: 'integer' })
  versionId!: number;

  @Column({ type: 'timestamptz' })
  lastUpdated!: Date;

  @Column({ type: 'jsonb' })
  resource!: Resource;
}
