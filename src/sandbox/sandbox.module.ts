import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
import { sandboxMounted } from './sandbox-enabled.js';
import { SandboxFhirController } from './sandbox-fhir.controller.js';
import { SandboxKeys } from './sandbox-keys.service.js';
import { SandboxLauncherController } from './sandbox-launcher.controller.js';
import { SandboxOAuthController } from './sandbox-oauth.controller.js';
import { SandboxSeeder } from './sandbox-seed.service.js';
import { SANDBOX_ENTITIES } from './sandbox.entities.js';
import { TokenService } from './token.service.js';
import { TransactionService } from './transaction.service.js';

export { sandboxEnabled } from './sandbox-enabled.js';
export { SANDBOX_CLIENTS, sandboxEhrDescription, type SandboxClientRegistration } from './sandbox-clients.js';
export { SandboxControl, type SandboxControlState, type SandboxMode } from './sandbox-control.js';
export { SANDBOX_ENTITIES } from './sandbox.entities.js';

/**
 * The sandbox EHR under `/sandbox`: SMART discovery, OAuth, FHIR R4 REST, a launcher and test control.
 * Never part of a production service.
 */
@Module({})
export class SandboxModule {
  /**
   * The module when the environment enables the sandbox, an empty one otherwise. Decided at import time from
   * the environment; an invalid value counts as disabled here and is reported by `validateAllConfig` at boot.
   */
  static register(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const production = env.NODE_ENV === 'production';
    let fhir: ReturnType<typeof loadFhirConfig> | undefined;
    try {
      fhir = loadFhirConfig(env);
    } catch {
      fhir = undefined; // an invalid value: not mounted; validateAllConfig names the variable at boot
    }
    if (!fhir || !sandboxMounted(fhir, { production })) return { module: SandboxModule };
    return {
      module: SandboxModule,
      imports: [TypeOrmModule.forFeature(SANDBOX_ENTITIES)],
      // Discovery first: its `fhir/metadata` route must win over the FHIR controller's `fhir/:type`.
      controllers: [SandboxDiscoveryController, SandboxFhirController, SandboxOAuthController, SandboxLauncherController, SandboxControlController],
      providers: [
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
      ],
      exports: [SandboxControl, SandboxClients, FhirStore],
    };
  }
}
