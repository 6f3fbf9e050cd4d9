import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorPage } from '../common/errors/error-page.port.js';
import { EhrSystemAuthorizer } from '../fhir/fhir-connection.js';
import { ClientAuthService } from './backend/client-auth.service.js';
import { SystemTokenService } from './backend/system-token.service.js';
import { ContextController } from './context/context.controller.js';
import { ContextResources } from './context/context-resources.service.js';
import { PatientLanguage } from './context/patient-language.js';
import { PatientDirectory } from './context/patient-directory.service.js';
import { PeopleController } from './context/people.controller.js';
import { PeopleDirectory } from './context/people-directory.service.js';
import { tokenCipherProvider } from './crypto/token-cipher.provider.js';
import { JwksController } from './keys/jwks.controller.js';
import { KeysService } from './keys/keys.service.js';
import { SigningKey } from './keys/signing-key.entity.js';
import { CallbackService } from './launch/callback.service.js';
import { DiscoveryService } from './launch/discovery.service.js';
import { LaunchController } from './launch/launch.controller.js';
import { LaunchState } from './launch/launch-state.entity.js';
import { LaunchService } from './launch/launch.service.js';
import { LaunchFormController } from './launch/launch-form.controller.js';
import { LaunchFormService } from './launch/launch-form.service.js';
import { LaunchTasks } from './launch/launch-tasks.js';
import { SignInProblemPage } from './launch/sign-in-problem.page.js';
import { ConfigRegistrations } from './registry/config-registrations.js';
import { EhrRegistration } from './registry/ehr-registration.entity.js';
import { RegistryController } from './registry/registry.controller.js';
import { RegistryService } from './registry/registry.service.js';
import { AppSession } from './session/app-session.entity.js';
import { AuthGuard } from './session/auth.guard.js';
import { SessionJanitor } from './session/session-janitor.js';
import { RegistrationCheck } from './registry/registration-check.service.js';
import { UserWriteBackTokens } from './backend/user-write-back-tokens.js';
import { SessionService } from './session/session.service.js';
import { TokenRefreshService } from './session/token-refresh.service.js';
import { UserFhirAccess } from './session/user-fhir-access.service.js';
import { AppUser } from './users/app-user.entity.js';
import { PractitionerDirectory } from './users/practitioner-directory.service.js';
import { PractitionersController, StaffPractitionersController } from './users/practitioners.controller.js';
import { UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';

/** SMART App Launch, the EHR registry, users and roles, sessions and tokens. The only module that sees tokens. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([EhrRegistration, AppUser, AppSession, LaunchState, SigningKey])],
  controllers: [LaunchController, LaunchFormController, ContextController, PeopleController, RegistryController, UsersController, PractitionersController, StaffPractitionersController, JwksController],
  providers: [
    tokenCipherProvider,
    KeysService,
    DiscoveryService,
    RegistryService,
    UsersService,
    PractitionerDirectory,
    PatientDirectory,
    PeopleDirectory,
    ContextResources,
    SessionService,
    UserWriteBackTokens,
    RegistrationCheck,
    TokenRefreshService,
    UserFhirAccess,
    ClientAuthService,
    LaunchService,
    CallbackService,
    LaunchFormService,
    LaunchTasks,
    SystemTokenService,
    ConfigRegistrations,
    SessionJanitor,
    { provide: EhrSystemAuthorizer, useExisting: SystemTokenService },
    // The page a browser's refused navigation to /smart/* gets (the error filter's ErrorPage port).
    { provide: ErrorPage, useClass: SignInProblemPage },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [RegistryService, UserFhirAccess, EhrSystemAuthorizer, ErrorPage, SystemTokenService, UsersService, ContextResources, LaunchTasks],
})
export class SmartModule {
  /** The module with its port bound: a patient's preferred language (the app module passes the questionnaires' rule). */
  static register(ports: { patientLanguage: PatientLanguage }): DynamicModule {
    return { module: SmartModule, providers: [{ provide: PatientLanguage, useValue: ports.patientLanguage }] };
  }
}
