import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FORM_POST_PATHS, READY_NOTICE, type ReadyNotice } from '../common/app-ports.js';
import { loadFhirConfig } from '../config/fhir.config.js';
import { AuthorizationService } from './authorization.service.js';
import { ClientAuthenticator } from './client-auth.service.js';
import { ConditionalCreate } from './conditional-create.service.js';
import { FhirStore } from './fhir-store.service.js';
import { LaunchService } from './launch.service.js';
import { SandboxClients } from './sandbox-clients.service.js';
import { SandboxControl } from './sandbox-control.js';
import { SandboxControlController } from './sandbox-control.controller.js';
import { SandboxDirectory } from './sandbox-directory.service.js';
import { SandboxDiscoveryController } from './sandbox-discovery.controller.js';
import { sandboxEnabled } from './sandbox-enabled.js';
import { SandboxFhirController } from './sandbox-fhir.controller.js';
import { SandboxKeys } from './sandbox-keys.service.js';
import { SandboxLauncherController } from './sandbox-launcher.controller.js';
import { runSandboxMigrations } from './sandbox-migrations.js';
import { SandboxOAuthController } from './sandbox-oauth.controller.js';
import { SandboxRegistration } from './sandbox-registration.js';
import { SANDBOX_SCHEMA, SandboxSeeder } from './sandbox-seed.service.js';
import { SANDBOX_ENTITIES } from './sandbox.entities.js';
import { TokenService } from './token.service.js';
import { TransactionService } from './transaction.service.js';

/** A refused configuration (SANDBOX=on in production or beside EHR_REGISTRATIONS) stops the service at boot. */
const REFUSED = Symbol('SANDBOX_REFUSED');

/**
 * The sandbox EHR under `/sandbox`: SMART discovery, OAuth, FHIR R4 REST, a launcher and test control.
 * Imported by the app module only. When mounted it brings everything of its own: its tables (entities through
 * forFeature, created by its own migrations with their own history), its error codes (sandbox-errors.ts), its
 * registration in the EHR registry and the line main.ts prints when ready. Never part of a production service.
 */
@Module({})
export class SandboxModule {
  /**
   * The module when the environment enables the sandbox (sandboxEnabled, the one decision), an empty one
   * otherwise. Decided at import time from the environment; a refused or invalid setting fails the boot with a
   * ConfigError naming the variable (validateAllConfig has already reported an invalid one).
   */
  static register(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    let mounted: boolean;
    try {
      mounted = sandboxEnabled(loadFhirConfig(env), { production: env.NODE_ENV === 'production' });
    } catch (error) {
      return {
        module: SandboxModule,
        providers: [
          {
            provide: REFUSED,
            useFactory: () => {
              throw error;
            },
          },
        ],
      };
    }
    if (!mounted) return { module: SandboxModule };
    const schema: Provider = {
      provide: SANDBOX_SCHEMA,
      inject: [DataSource],
      // After the service's migrations (the DataSource ran them when it connected): the sandbox's own.
      useFactory: (ds: DataSource) => runSandboxMigrations(ds),
    };
    const notice: Provider = {
      provide: READY_NOTICE,
      useValue: ((publicUrl) => `Open ${publicUrl}/sandbox to launch the app from the sandbox EHR (synthetic patients).`) satisfies ReadyNotice,
    };
    // Its OAuth endpoints take form posts (app.setup.ts refuses any other non-JSON body).
    const formPosts: Provider = { provide: FORM_POST_PATHS, useValue: ['/sandbox/auth/token', '/sandbox/auth/approve'] };
    return {
      module: SandboxModule,
      imports: [TypeOrmModule.forFeature(SANDBOX_ENTITIES)],
      // Discovery first: its `fhir/metadata` route must win over the FHIR controller's `fhir/:type`.
      controllers: [SandboxDiscoveryController, SandboxFhirController, SandboxOAuthController, SandboxLauncherController, SandboxControlController],
      providers: [
        schema,
        FhirStore,
        ConditionalCreate,
        TransactionService,
        SandboxDirectory,
        SandboxClients,
        ClientAuthenticator,
        SandboxKeys,
        AuthorizationService,
        TokenService,
        LaunchService,
        SandboxControl,
        SandboxSeeder,
        SandboxRegistration,
        notice,
        formPosts,
      ],
      exports: [SandboxControl, SandboxClients, FhirStore, READY_NOTICE, FORM_POST_PATHS],
    };
  }
}
