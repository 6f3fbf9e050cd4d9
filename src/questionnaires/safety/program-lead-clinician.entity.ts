import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Program } from '../../programs/catalogue/program.entity.js';
import { EhrRegistration } from '../../smart/registry/ehr-registration.entity.js';

/**
 * Who receives a program's escalated safety alerts, per clinic (EHR registration): a Practitioner is an id in
 * one EHR, while the program catalogue is shared, so the lead lives here rather than in the PlanDefinition.
 */
@Entity('program_lead_clinician')
export class ProgramLeadClinician {
  @PrimaryColumn({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_program_lead_clinician_registration' })
  registration?: Relation<EhrRegistration>;

  @PrimaryColumn({ type: 'uuid' })
  programId!: string;

  @ManyToOne(() => Program)
  @JoinColumn({ foreignKeyConstraintName: 'FK_program_lead_clinician_program' })
  program?: Relation<Program>;

  /** `Practitioner/<id>` in that EHR. */
  @Column({ type: 'text' })
  practitioner!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  /** fhirUser of the admin who set it. */
  @Column({ type: 'text' })
  updatedBy!: string;
}
