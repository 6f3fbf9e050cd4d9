import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service.js';
import type { AuthenticatedRequest } from '../../common/auth/current-user.decorator.js';
import type { Role } from '../../common/auth/roles.js';
import { ROLES_KEY } from '../../common/auth/roles.decorator.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { SESSION_COOKIE } from './cookies.js';
import { SessionService } from './session.service.js';
import { TokenRefreshService } from './token-refresh.service.js';

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/**
 * The one gate of the API. Every `/api` route must declare its roles (fail closed); the session comes from
 * the HttpOnly cookie, its tokens are refreshed when due, state-changing calls carry the CSRF token, and
 * every refusal is audited.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly refresh: TokenRefreshService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    // Express routes case-insensitively: /API/x reaches an /api/x handler, so the fail-closed rule must too.
    if (roles === undefined && !req.path.toLowerCase().startsWith('/api/')) return true;
    const deny = async (reason: string, err: DomainError, who?: { actor: string; actorRole: string; patientId: string | null }) => {
      err.audited = true;
      await this.audit.record({ action: 'access.denied', outcome: 'denied', actor: who?.actor ?? null, actorRole: who?.actorRole ?? null, patientId: who?.patientId ?? null, requestId: req.id ?? null, detail: { reason, method: req.method, route: req.route?.path ?? null } });
      return err;
    };

    const loaded = await this.sessions.load((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    if (!loaded) throw await deny('no-session', new DomainError('AUTH.UNAUTHENTICATED', 'Please open the app from your EHR to sign in.'));
    const who = { actor: loaded.user.fhirUser, actorRole: loaded.user.role, patientId: loaded.user.patientId };
    if (!roles || roles.length === 0) throw await deny('route-declares-no-roles', new DomainError('AUTH.FORBIDDEN', 'You are not allowed to do this.'), who);
    if (!roles.includes(loaded.user.role)) throw await deny('role', new DomainError('AUTH.FORBIDDEN', 'Your role does not allow this.'), who);
    if (!SAFE_METHODS.includes(req.method) && !SessionService.csrfMatches(loaded.user.csrfToken, req.headers['x-csrf-token'])) {
      throw await deny('csrf', new DomainError('AUTH.CSRF', 'Missing or wrong CSRF token; reload the app.'), who);
    }
    await this.refresh.ensureFresh(loaded, req.id);
    req.user = loaded.user;
    return true;
  }
}
