import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SandboxError } from './sandbox-errors.js';
import type { SandboxAccess } from './access.js';
import { parseScopes } from './scopes.js';
import { TokenService } from './token.service.js';

type WithAccess = Request & { sandboxAccess?: SandboxAccess };

/**
 * Requires a live sandbox access token (RFC 6750). A missing, unknown or expired token is a 401
 * OperationOutcome with a `WWW-Authenticate: Bearer` challenge, as a real FHIR server answers.
 */
@Injectable()
export class SandboxBearerGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithAccess>();
    const res = context.switchToHttp().getResponse<Response>();
    const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization ?? '');
    const grant = m ? await this.tokens.verify(m[1]) : null;
    if (!grant) {
      res.setHeader('WWW-Authenticate', m ? 'Bearer realm="sandbox", error="invalid_token"' : 'Bearer realm="sandbox"');
      throw new SandboxError('SANDBOX.UNAUTHENTICATED', m ? 'The access token is invalid or has expired.' : 'A Bearer access token is required.');
    }
    req.sandboxAccess = {
      clientId: grant.clientId,
      scopes: parseScopes(grant.scope).resources,
      patientId: grant.patientId,
      userRef: grant.userRef,
    };
    return true;
  }
}

/** The caller's access, established by SandboxBearerGuard. */
export const Access = createParamDecorator((_data: unknown, context: ExecutionContext): SandboxAccess => {
  const access = context.switchToHttp().getRequest<WithAccess>().sandboxAccess;
  if (!access) throw new SandboxError('SANDBOX.UNAUTHENTICATED', 'A Bearer access token is required.');
  return access;
});
