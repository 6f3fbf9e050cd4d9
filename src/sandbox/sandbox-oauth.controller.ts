import { Body, Controller, Get, Headers, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { authorizePage } from './authorize.page.js';
import { AuthorizationService } from './authorization.service.js';
import type { FormBody } from './client-auth.service.js';
import { OAuthError } from './oauth-error.js';
import { SandboxErrorFilter } from './sandbox-errors.js';
import { SandboxControl } from './sandbox-control.js';
import { SandboxDirectory, USER_TYPES } from './sandbox-directory.service.js';
import { SandboxKeys } from './sandbox-keys.service.js';
import { parseScopes } from './scopes.js';
import { TokenService } from './token.service.js';

/**
 * The sandbox's OAuth 2.0 / SMART endpoints. Token endpoint errors are OAuth JSON (`{"error": …}`), not
 * OperationOutcomes, because that is what every OAuth client parses.
 */
@ApiTags('sandbox')
@Controller('sandbox/auth')
@UseFilters(SandboxErrorFilter)
export class SandboxOAuthController {
  constructor(
    private readonly authorizations: AuthorizationService,
    private readonly tokens: TokenService,
    private readonly keys: SandboxKeys,
    private readonly directory: SandboxDirectory,
    private readonly control: SandboxControl,
  ) {}

  /** EHR launch: approved at once. Standalone: a sign-in page. Errors go back to a vetted redirect URI. */
  @Get('authorize')
  async authorize(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const result = await this.authorizations.begin(query);
    if (result.kind === 'redirect') return res.redirect(302, result.location);
    const { request } = result;
    const [practitioners, patients, relatedPersons] = await Promise.all(USER_TYPES.map((t) => this.directory.list(t)));
    const scopes = request.scope.split(' ');
    // The form posts here and is then redirected to the app: CSP form-action must allow both.
    const appOrigin = new URL(request.redirectUri).origin;
    res.setHeader('Content-Security-Policy', `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self' ${appOrigin}; frame-ancestors 'self'`);
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(authorizePage({
      requestId: request.id,
      clientId: request.clientId,
      scopes,
      needsPatient: scopes.includes('launch/patient'),
      practitioners,
      patients,
      relatedPersons,
    }));
  }

  /** The sign-in form: 303 to the app with a code, or with `error=access_denied`. */
  @Post('approve')
  async approve(@Body() form: FormBody, @Res() res: Response): Promise<void> {
    if (form.decision === 'deny') return res.redirect(303, await this.authorizations.deny(String(form.request_id ?? '')));
    const request = await this.authorizations.pending(form.request_id);
    const user = await this.directory.resolve(form.user, USER_TYPES, 'user');
    let patientId: string | null = null;
    if (parseScopes(request.scope).has('launch/patient')) {
      // A patient signing in to a patient-facing app is the patient in context.
      patientId = user.resourceType === 'Patient' ? user.id! : (await this.directory.resolve(form.patient, ['Patient'], 'patient')).id!;
    }
    res.redirect(303, await this.authorizations.approve(request.id, `${user.resourceType}/${user.id}`, patientId));
  }

  @Post('token')
  async token(@Body() body: FormBody | undefined, @Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    try {
      if (!(await this.control.admit())) throw new OAuthError('temporarily_unavailable', 'The sandbox EHR is unavailable.', 503);
      res.status(200).json(await this.tokens.exchange(authorization, body ?? {}));
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      if (e.status === 401 && /^Basic /i.test(authorization ?? '')) res.setHeader('WWW-Authenticate', 'Basic realm="sandbox"');
      res.status(e.status).json(e.toJSON());
    }
  }

  /** The public key(s) id_tokens are signed with. */
  @Get('jwks')
  async jwks(@Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(await this.keys.jwks());
  }
}
