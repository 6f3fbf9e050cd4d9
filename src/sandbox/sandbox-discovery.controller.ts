import { Controller, Get, Inject, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { capabilityStatement } from './capability-statement.js';
import { sendFhir } from './fhir-http.js';
import { SandboxAvailabilityGuard } from './sandbox.guards.js';
import { SandboxErrorFilter } from './sandbox-errors.js';
import { sandboxUrls, type SandboxUrls } from './sandbox-urls.js';
import { SMART_STYLE, smartConfiguration } from './smart-configuration.js';

/**
 * Public discovery documents. Registered before the FHIR controller so `metadata` and `.well-known` are not
 * taken for resource types.
 */
@ApiTags('sandbox')
@Controller('sandbox')
@UseFilters(SandboxErrorFilter)
export class SandboxDiscoveryController {
  private readonly urls: SandboxUrls;

  constructor(@Inject(httpConfig.KEY) http: HttpConfig) {
    this.urls = sandboxUrls(http.publicUrl);
  }

  /** SMART App Launch 2.x discovery. */
  @Get('fhir/.well-known/smart-configuration')
  @UseGuards(SandboxAvailabilityGuard)
  smartConfiguration() {
    return smartConfiguration(this.urls);
  }

  /** The FHIR CapabilityStatement, with the SMART oauth-uris extension. */
  @Get('fhir/metadata')
  @UseGuards(SandboxAvailabilityGuard)
  metadata(@Res() res: Response): void {
    sendFhir(res, 200, capabilityStatement(this.urls));
  }

  /** The style document behind `smart_style_url`. */
  @Get('smart-style.json')
  style() {
    return SMART_STYLE;
  }
}
