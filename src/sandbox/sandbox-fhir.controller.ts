import { Body, Controller, Get, Headers, Param, Post, Put, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Resource } from 'fhir/r4.js';
import { assertInCompartment, permit, type SandboxAccess } from './access.js';
import { Access, SandboxBearerGuard } from './bearer.guard.js';
import { ConditionalCreate } from './conditional-create.service.js';
import { historyBundle, parseIfMatch, searchsetBundle, sendFhir, sendResource } from './fhir-http.js';
import { FhirStore } from './fhir-store.service.js';
import { asResource, assertSupportedType, assertValidId } from './resource-types.js';
import { SandboxAvailabilityGuard } from './sandbox.guards.js';
import { SandboxErrorFilter } from './sandbox-errors.js';
import { SandboxControl } from './sandbox-control.js';
import { parseSearch, type QueryParams } from './search.js';
import { TransactionService } from './transaction.service.js';

/** FHIR R4 REST: read, vread, history, create (conditional), update (as create), search, transaction. */
@ApiTags('sandbox')
@Controller('sandbox/fhir')
@UseGuards(SandboxAvailabilityGuard, SandboxBearerGuard)
@UseFilters(SandboxErrorFilter)
export class SandboxFhirController {
  constructor(
    private readonly store: FhirStore,
    private readonly conditional: ConditionalCreate,
    private readonly transactions: TransactionService,
    private readonly control: SandboxControl,
  ) {}

  /** A transaction Bundle, all or nothing. */
  @Post()
  async transaction(@Body() body: unknown, @Access() access: SandboxAccess, @Res() res: Response): Promise<void> {
    this.control.assertWritable();
    sendFhir(res, 200, await this.transactions.process(body, access));
  }

  @Get(':type')
  async search(@Param('type') type: string, @Query() query: QueryParams, @Access() access: SandboxAccess, @Res() res: Response): Promise<void> {
    assertSupportedType(type);
    const compartment = permit(access, type, 's');
    const q = parseSearch(type, query, this.store.issuer);
    if (compartment) q.filters.push({ kind: 'compartment', patientRef: compartment });
    const { total, matches } = await this.store.search(q);
    sendFhir(res, 200, searchsetBundle(this.store.issuer, q, query, total, matches));
  }

  /** POST: server-assigned id; with `If-None-Exist`, a conditional create. */
  @Post(':type')
  async create(
    @Param('type') type: string,
    @Body() body: unknown,
    @Headers('if-none-exist') ifNoneExist: string | undefined,
    @Access() access: SandboxAccess,
    @Res() res: Response,
  ): Promise<void> {
    this.control.assertWritable();
    assertSupportedType(type);
    const compartment = permit(access, type, 'c');
    // A create ignores any id in the body: the server assigns it.
    const { id: _ignored, ...resource } = asResource(body, type);
    if (ifNoneExist) {
      const { stored, created } = await this.conditional.create(type, resource as Resource, ifNoneExist, { compartment });
      return sendResource(res, created ? 201 : 200, stored, this.store.issuer, true);
    }
    sendResource(res, 201, await this.store.create(type, resource as Resource, { compartment }), this.store.issuer, true);
  }

  @Get(':type/:id')
  async read(@Param('type') type: string, @Param('id') id: string, @Access() access: SandboxAccess, @Res() res: Response): Promise<void> {
    assertSupportedType(type);
    const compartment = permit(access, type, 'r');
    const stored = await this.store.read(type, id);
    assertInCompartment(compartment, stored.patientRef);
    sendResource(res, 200, stored, this.store.issuer);
  }

  /** PUT: a new version; an unknown id is created (update-as-create). `If-Match` makes it conditional. */
  @Put(':type/:id')
  async update(
    @Param('type') type: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Access() access: SandboxAccess,
    @Res() res: Response,
  ): Promise<void> {
    this.control.assertWritable();
    assertSupportedType(type);
    assertValidId(id);
    const compartment = permit(access, type, 'u');
    const resource = asResource(body, type, id);
    const { stored, created } = await this.store.update(type, id, resource, { compartment, ifMatchVersion: parseIfMatch(ifMatch) });
    sendResource(res, created ? 201 : 200, stored, this.store.issuer, created);
  }

  @Get(':type/:id/_history')
  async history(@Param('type') type: string, @Param('id') id: string, @Access() access: SandboxAccess, @Res() res: Response): Promise<void> {
    assertSupportedType(type);
    const compartment = permit(access, type, 'r');
    const versions = await this.store.history(type, id);
    assertInCompartment(compartment, versions[0].patientRef);
    sendFhir(res, 200, historyBundle(this.store.issuer, versions));
  }

  @Get(':type/:id/_history/:vid')
  async vread(@Param('type') type: string, @Param('id') id: string, @Param('vid') vid: string, @Access() access: SandboxAccess, @Res() res: Response): Promise<void> {
    assertSupportedType(type);
    const compartment = permit(access, type, 'r');
    const stored = await this.store.vread(type, id, /^\d+$/.test(vid) ? Number(vid) : NaN);
    assertInCompartment(compartment, stored.patientRef);
    sendResource(res, 200, stored, this.store.issuer);
  }
}
