import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { RenewableConnection } from '../../fhir/fhir-gateway.js';
import { AppSession } from './app-session.entity.js';
import { SessionService } from './session.service.js';
import { RELAUNCH_MESSAGE, TokenRefreshService } from './token-refresh.service.js';

/**
 * A FHIR connection acting as the signed-in user (their own access token; the auth guard keeps it fresh). When the
 * EHR revokes the token before its expiry, the gateway renews it through the session's refresh token and asks again.
 */
@Injectable()
export class UserFhirAccess {
  constructor(
    @InjectRepository(AppSession) private readonly repo: Repository<AppSession>,
    private readonly sessions: SessionService,
    private readonly tokens: TokenRefreshService,
  ) {}

  async connection(user: SessionUser): Promise<RenewableConnection> {
    const row = await this.repo.findOneBy({ idHash: user.sessionId });
    const token = row ? this.sessions.state(row).tokenResponse.access_token : undefined;
    if (!token) throw new DomainError('AUTH.SESSION_EXPIRED', RELAUNCH_MESSAGE);
    const conn: RenewableConnection = {
      baseUrl: user.issuer,
      authorization: `Bearer ${token}`,
      registrationId: user.registrationId,
      // Later calls on this connection (a caller may reuse it for several searches) use the renewed token too.
      renew: async (rejected) => {
        conn.authorization = `Bearer ${await this.tokens.renewRejected(user.sessionId, rejected.replace(/^Bearer /, ''))}`;
        return conn;
      },
    };
    return conn;
  }
}
