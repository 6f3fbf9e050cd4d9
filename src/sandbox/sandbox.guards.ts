import { CanActivate, Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { fhirConfig, type FhirConfig } from '../config/fhir.config.js';
import { securityConfig, type SecurityConfig } from '../config/security.config.js';
import { SandboxControl } from './sandbox-control.js';
import { sandboxMounted } from './sandbox-enabled.js';

/**
 * Answers 404 on every sandbox route when the running configuration disables the sandbox. The module is
 * normally not mounted at all then; this also covers configurations injected after import (tests).
 */
@Injectable()
export class SandboxEnabledGuard implements CanActivate {
  constructor(
    @Inject(fhirConfig.KEY) private readonly fhir: FhirConfig,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
  ) {}

  canActivate(): boolean {
    if (!sandboxMounted(this.fhir, this.security)) throw new DomainError('SANDBOX.NOT_FOUND', 'No such resource or route.');
    return true;
  }
}

/** Applies the control modes `unavailable` (503) and `slow` (delay) to the FHIR endpoints. */
@Injectable()
export class SandboxAvailabilityGuard implements CanActivate {
  constructor(private readonly control: SandboxControl) {}

  async canActivate(): Promise<boolean> {
    if (!(await this.control.admit())) {
      throw new DomainError('SANDBOX.UNAVAILABLE', 'The sandbox EHR is unavailable (control mode unavailable).');
    }
    return true;
  }
}
