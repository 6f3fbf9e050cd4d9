import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles.js';

export const ROLES_KEY = 'als:roles';

/**
 * Declares which roles may call a route. Every `/api` route must carry it (or `@Roles()` with no role
 * is refused): the auth guard fails closed.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
