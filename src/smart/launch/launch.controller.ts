import { Controller, Get, HttpCode, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditService } from '../../audit/audit.service.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { ROLES } from '../../common/auth/roles.js';
import { Roles } from '../../common/auth/roles.decorator.js';
import type { SessionUser } from '../../common/auth/session-user.js';
import { httpConfig, type HttpConfig } from '../../config/http.config.js';
import { clearCookie, cookieOptions, LAUNCH_COOKIE, SESSION_COOKIE } from '../session/cookies.js';
import { SessionService } from '../session/session.service.js';
import { securityConfig, type SecurityConfig } from '../../config/security.config.js';
import { CallbackService, SignInRefusal } from './callback.service.js';
import { LaunchService } from './launch.service.js';
import { sendSignInProblem, wantsPage } from './sign-in-problem.page.js';

const LAUNCH_COOKIE_MS = 10 * 60 * 1000;

@ApiTags('smart')
@Controller('smart')
export class LaunchController {
  private readonly logger = new Logger('Errors');

  constructor(
    private readonly launches: LaunchService,
    private readonly callbacks: CallbackService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
    @Inject(securityConfig.KEY) private readonly security: SecurityConfig,
  ) {}

  /** EHR launch (`iss` + `launch`) or standalone launch (`iss`, optional `workflow`). Only registered issuers. */
  @Get('launch')
  @ApiOperation({ summary: 'Start a SMART launch (EHR or standalone)' })
  async launch(@Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const { redirectUrl, binding } = await this.launches.start({ iss: q.iss, launch: q.launch, workflow: q.workflow }, res, (req as { id?: string }).id);
      res.cookie(LAUNCH_COOKIE, binding, cookieOptions(this.http.publicUrl, LAUNCH_COOKIE_MS, '/smart'));
      res.redirect(302, redirectUrl);
    } catch (err) {
      this.refuse(err, req, res);
    }
  }

  /** The authorization server's redirect back to us. Opens a session; the browser only ever gets a cookie. */
  @Get('callback')
  @ApiExcludeEndpoint()
  async callback(@Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const binding = (req.cookies as Record<string, string> | undefined)?.[LAUNCH_COOKIE];
    clearCookie(res, LAUNCH_COOKIE, this.http.publicUrl, '/smart');
    try {
      const sessionId = await this.callbacks.complete(q, binding, res, (req as { id?: string }).id);
      res.cookie(SESSION_COOKIE, sessionId, cookieOptions(this.http.publicUrl, this.security.sessionTtlMinutes * 60_000));
      // A fixed, same-origin target: nothing from the request decides where the browser goes.
      res.redirect(303, '/app/');
    } catch (err) {
      this.refuse(err, req, res);
    }
  }

  /**
   * A refused launch or sign-in. A browser (the person who opened the app) gets a page saying in plain words what
   * happened and what to do, with the same status; an API client gets the OperationOutcome from the error filter.
   */
  private refuse(err: unknown, req: Request, res: Response): void {
    if (!wantsPage(req) || res.headersSent) throw err;
    sendSignInProblem(err, req, res, this.logger, err instanceof SignInRefusal ? err.reason : undefined);
  }

  @Post('logout')
  @HttpCode(204)
  @Roles(...ROLES)
  @ApiOperation({ summary: 'End the session' })
  async logout(@CurrentUser() user: SessionUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sessions.revoke(user.sessionId);
    await this.audit.record({ action: 'smart.logout', outcome: 'success', actor: user.fhirUser, actorRole: user.role, requestId: (req as { id?: string }).id });
    clearCookie(res, SESSION_COOKIE, this.http.publicUrl);
    res.status(204).end();
  }
}
