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

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => EhrRegistration)
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'FK_app_user_registration' })
  registration?: Relation<EhrRegistration>;

  /** Relative reference such as `Practitioner/123`. */
  @Column({ name: 'fhir_user', type: 'text' })
  fhirUser!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
