import { Body, Controller, Get, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error.js';
import { SandboxErrorFilter } from './sandbox-errors.js';
import { SandboxControl, type SandboxControlState } from './sandbox-control.js';

const ControlRequest = z
  .object({
    mode: z.enum(['ok', 'unavailable', 'slow', 'reject-writes']).optional(),
    delayMs: z.number().int().min(0).max(60_000).optional(),
    accessTokenTtlSeconds: z.number().int().min(1).max(86_400).optional(),
    action: z.enum(['expireTokens', 'revokeRefreshTokens']).optional(),
  })
  .strict();

/** Test control over HTTP (for tests that drive the service as a process or from a browser). */
@ApiTags('sandbox')
@Controller('sandbox/_control')
@UseFilters(SandboxErrorFilter)
export class SandboxControlController {
  constructor(private readonly control: SandboxControl) {}

  @Get()
  state(): SandboxControlState {
    return this.control.state();
  }

  /** Sets mode/delay/token lifetime and runs an optional action; answers the new state and what the action touched. */
  @Post()
  @HttpCode(200)
  async change(@Body() body: unknown): Promise<SandboxControlState & { affected?: number }> {
    const parsed = ControlRequest.safeParse(body ?? {});
    if (!parsed.success) {
      throw new DomainError(
        'COMMON.VALIDATION',
        'Invalid sandbox control request.',
        parsed.error.issues.map((i) => ({ message: i.message, expression: i.path.join('.') || undefined })),
      );
    }
    const { action, ...settings } = parsed.data;
    const state = this.control.set(settings);
    if (action === 'expireTokens') return { ...state, affected: await this.control.expireTokens() };
    if (action === 'revokeRefreshTokens') return { ...state, affected: await this.control.revokeRefreshTokens() };
    return state;
  }
}
