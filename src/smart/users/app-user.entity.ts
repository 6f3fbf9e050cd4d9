import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { EhrRegistration } from '../registry/ehr-registration.entity.js';
import type { Role } from '../../common/auth/roles.js';

/** A user is (EHR registration, fhirUser); the role is the app's own, assigned by an admin. */
@Entity('app_user')
@Index('uq_app_user_registration_fhir_user', ['registrationId', 'fhirUser'], { unique: true })
@Check('CHK_app_user_role', `"role" IN ('clinician', 'coordinator', 'quality', 'admin', 'patient', 'caregiver')`)
export class AppUser {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ foreignKeyConstraintName: 'FK_app_user_registration' })
  registration?: Relation<EhrRegistration>;

  /** Relative reference such as `Practitioner/123`. */
  @Column({ type: 'text' })
  fhirUser!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
