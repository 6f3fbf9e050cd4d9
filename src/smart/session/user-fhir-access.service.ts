import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { SessionUser } from '../../common/auth/session-user.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { FhirConnection } from '../../fhir/fhir-connection.js';
import { AppSession } from './app-session.entity.js';
import { SessionService } from './session.service.js';
import { RELAUNCH_MESSAGE } from './token-refresh.service.js';

/** A FHIR connection acting as the signed-in user (their own access token; the auth guard keeps it fresh). */
@Injectable()
export class UserFhirAccess {
  constructor(
    @InjectRepository(AppSession) private readonly repo: Repository<AppSession>,
    private readonly sessions: SessionService,
  ) {}

  async connection(user: SessionUser): Promise<FhirConnection> {
    const row = await this.repo.findOneBy({ idHash: user.sessionId });
    const token = row ? this.sessions.state(row).tokenResponse.access_token : undefined;
    if (!token) throw new DomainError('AUTH.SESSION_EXPIRED', RELAUNCH_MESSAGE);
    return { baseUrl: user.issuer, authorization: `Bearer ${token}`, registrationId: user.registrationId };
  }
}
