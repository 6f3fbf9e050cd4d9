import { CanActivate, Injectable } from '@nestjs/common';
import { SandboxError } from './sandbox-errors.js';
import { SandboxControl } from './sandbox-control.js';

/** Applies the control modes `unavailable` (503) and `slow` (delay) to the FHIR endpoints. */
@Injectable()
export class SandboxAvailabilityGuard implements CanActivate {
  constructor(private readonly control: SandboxControl) {}

  async canActivate(): Promise<boolean> {
    if (!(await this.control.admit())) {
      throw new SandboxError('SANDBOX.UNAVAILABLE', 'The sandbox EHR is unavailable (control mode unavailable).');
    }
    return true;
  }
}
