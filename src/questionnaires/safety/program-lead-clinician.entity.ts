import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Program } from '../../programs/catalogue/program.entity.js';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';

/**
 * Who receives a program's escalated safety alerts, per clinic (EHR registration): a Practitioner is an id in
 * one EHR, while the program catalogue is shared, so the lead lives here rather than in the PlanDefinition.
 */
@Entity('program_lead_clinician')
export class ProgramLeadClinician {
  @PrimaryColumn({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'FK_program_lead_clinician_registration' })
  registration?: Relation<EhrRegistration>;

  @PrimaryColumn({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => Program)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'FK_program_lead_clinician_program' })
  program?: Relation<Program>;

  /** `Practitioner/<id>` in that EHR. */
  @Column({ type: 'text' })
  practitioner!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  /** fhirUser of the admin who set it. */
  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}
