import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';
import type { SessionUser } from './session-user.js';

export interface AuthenticatedRequest {
  user?: SessionUser;
  id?: string;
}

/** The signed-in user of a route guarded by `@Roles`. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): SessionUser => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new DomainError('AUTH.UNAUTHENTICATED', 'Sign-in required.');
  return user;
});
