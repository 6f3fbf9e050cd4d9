import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error.js';
import type { EhrRegistration } from '../registry/ehr-registration.entity.js';
import { AppSession } from '../session/app-session.entity.js';
import { SessionService } from '../session/session.service.js';
import { TokenRefreshService } from '../session/token-refresh.service.js';

/**
 * Write-back with the launching user's own token, for EHRs that offer no backend services
 * (`writeBackAuth: "user"`). The trade-off (README): a write waits while its author has no live session with
 * a usable refresh token (offline_access), and is delivered when they next launch the app.
 */
@Injectable()
export class UserWriteBackTokens {
  constructor(
    @InjectRepository(AppSession) private readonly repo: Repository<AppSession>,
    private readonly sessions: SessionService,
    private readonly refresh: TokenRefreshService,
  ) {}

  /** The FHIR base and Authorization of the actor's newest live session at this registration. */
  async connection(r: EhrRegistration, actor: string | null): Promise<{ baseUrl: string; authorization: string }> {
    const row = actor
      ? await this.repo
          .createQueryBuilder('s')
          .innerJoin('s.user', 'u')
          .where('s.registration_id = :r AND u.fhir_user = :actor AND s.revoked_at IS NULL AND s.expires_at > now()', { r: r.id, actor })
          .orderBy('s.created_at', 'DESC')
          .getOne()
      : null;
    const loaded = row && (await this.sessions.loadByHash(row.idHash));
    if (!loaded) throw new DomainError('AUTH.SESSION_EXPIRED', 'No live session of the user who made this change; it is delivered when they next launch the app.');
    await this.refresh.ensureFresh(loaded);
    const token = this.sessions.state(loaded.row).tokenResponse.access_token;
    if (!token) throw new DomainError('AUTH.SESSION_EXPIRED', 'The user session holds no access token.');
    return { baseUrl: r.fhirBaseUrl ?? loaded.row.fhirBase, authorization: `Bearer ${token}` };
  }
}
