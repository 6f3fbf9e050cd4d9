import { SandboxAssertionJti, SandboxClient, SandboxSigningKey } from './sandbox-client.entity.js';
import { SandboxAuthorization, SandboxLaunch, SandboxToken } from './sandbox-grant.entity.js';
import { SandboxResource, SandboxResourceVersion } from './sandbox-resource.entity.js';

/** Every table of the sandbox EHR, registered by SandboxModule only (never listed in src/entities.ts). */
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
