import { SandboxAssertionJti, SandboxClient, SandboxSigningKey } from './sandbox-client.entity.js';
import { SandboxAuthorization, SandboxLaunch, SandboxToken } from './sandbox-grant.entity.js';
import { SandboxResource, SandboxResourceVersion } from './sandbox-resource.entity.js';

/** Every table of the sandbox EHR; listed in src/database/entities.ts and registered by SandboxModule. */
export const SANDBOX_ENTITIES = [
  SandboxResource,
  SandboxResourceVersion,
  SandboxClient,
  SandboxAssertionJti,
  SandboxSigningKey,
  SandboxLaunch,
  SandboxAuthorization,
  SandboxToken,
];
