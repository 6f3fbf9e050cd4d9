import { Controller, Get, Inject, Query, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { launcherPage } from './launcher.page.js';
import { LaunchService, type LaunchRequest } from './launch.service.js';
import { SandboxErrorFilter } from './sandbox-errors.js';
import { SandboxDirectory } from './sandbox-directory.service.js';
import { sandboxUrls, type SandboxUrls } from './sandbox-urls.js';
import { DEFAULT_PATIENT, DEFAULT_USER } from './seed.js';

/** The launcher page and `/sandbox/launch`, like SMART's public launcher. */
@ApiTags('sandbox')
@Controller('sandbox')
@UseFilters(SandboxErrorFilter)
export class SandboxLauncherController {
  private readonly urls: SandboxUrls;

  constructor(
    private readonly launches: LaunchService,
    private readonly directory: SandboxDirectory,
    @Inject(httpConfig.KEY) http: HttpConfig,
  ) {
    this.urls = sandboxUrls(http.publicUrl);
  }

  @Get()
  async launcher(@Res() res: Response): Promise<void> {
    const [practitioners, patients, encounters] = await Promise.all(['Practitioner', 'Patient', 'Encounter'].map((t) => this.directory.list(t)));
    res.type('html').send(
      launcherPage({
        issuer: this.urls.issuer,
        defaultApp: this.urls.defaultApp,
        practitioners,
        patients,
        encounters,
        defaultUser: DEFAULT_USER,
        defaultPatient: DEFAULT_PATIENT,
      }),
    );
  }

  /** Creates a launch context and sends the browser to `{app}?iss=…&launch=…`. */
  @Get('launch')
  async launch(@Query() query: LaunchRequest, @Res() res: Response): Promise<void> {
    res.redirect(302, await this.launches.launch(query));
  }
}
