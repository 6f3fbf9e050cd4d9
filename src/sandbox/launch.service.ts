import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Encounter } from 'fhir/r4.js';
import type { Repository } from 'typeorm';
import { SandboxError } from './sandbox-errors.js';
import { httpConfig, type HttpConfig } from '../config/http.config.js';
import { redirectWith } from './authorization.service.js';
import { newSecret, sha256 } from './hashing.js';
import { SandboxDirectory, USER_TYPES } from './sandbox-directory.service.js';
import { SandboxLaunch } from './sandbox-grant.entity.js';
import { sandboxUrls, type SandboxUrls } from './sandbox-urls.js';
import { DEFAULT_PATIENT, DEFAULT_USER } from './seed.js';
import { parseFhirContextParam } from './launch-fhir-context.js';

/** How long the app has to turn a launch into an authorization request. */
export const LAUNCH_TTL_MS = 5 * 60_000;

export interface LaunchRequest {
  app?: unknown;
  user?: unknown;
  patient?: unknown;
  encounter?: unknown;
  /** SMART 2.2 `fhirContext`: a Questionnaire canonical or a Task/Questionnaire reference (repeatable). */
  fhirContext?: unknown;
}

const given = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Creates EHR launch contexts, as SMART's public launcher does, and says where to send the browser. */
@Injectable()
export class LaunchService {
  private readonly urls: SandboxUrls;

  constructor(
    @InjectRepository(SandboxLaunch) private readonly launches: Repository<SandboxLaunch>,
    private readonly directory: SandboxDirectory,
    @Inject(httpConfig.KEY) http: HttpConfig,
  ) {
    this.urls = sandboxUrls(http.publicUrl);
  }

  /** Returns `{app}?iss={issuer}&launch={id}`; the launch id is stored hashed, single-use, five minutes. */
  async launch(q: LaunchRequest): Promise<string> {
    const app = given(q.app) ? q.app.trim() : this.urls.defaultApp;
    if (!/^https?:\/\/[^\s]+$/i.test(app) || !URL.canParse(app)) {
      throw new SandboxError('SANDBOX.LAUNCH_INVALID', 'app must be an absolute http(s) URL.');
    }
    // Not an open redirect carrying a live launch: only apps served by this service.
    if (new URL(app).origin !== new URL(this.urls.defaultApp).origin) {
      throw new SandboxError('SANDBOX.LAUNCH_INVALID', 'app must be on this service\'s own origin.');
    }
    const user = await this.directory.resolve(given(q.user) ? q.user : DEFAULT_USER, USER_TYPES, 'user');
    const patient = await this.directory.resolve(given(q.patient) ? q.patient : DEFAULT_PATIENT, ['Patient'], 'patient');
    let encounterId: string | null = null;
    if (given(q.encounter)) {
      const encounter = (await this.directory.resolve(q.encounter, ['Encounter'], 'encounter')) as Encounter;
      if (encounter.subject?.reference !== `Patient/${patient.id}`) {
        throw new SandboxError('SANDBOX.LAUNCH_INVALID', 'The encounter belongs to another patient.');
      }
      encounterId = encounter.id!;
    }
    // Like an EHR, the sandbox sends the context it is told to (a referenced resource must exist); whether a
    // Task is about the patient in context is for the app to check, and tests rely on being able to send one that is not.
    const context = parseFhirContextParam(q.fhirContext);
    if (context.error) throw new SandboxError('SANDBOX.LAUNCH_INVALID', context.error);
    for (const item of context.items) {
      if ('reference' in item) await this.directory.resolve(item.reference, ['Task', 'Questionnaire'], 'fhirContext reference');
    }
    const launch = newSecret();
    await this.launches.insert({
      id: sha256(launch),
      userRef: `${user.resourceType}/${user.id}`,
      patientId: patient.id!,
      encounterId,
      fhirContext: context.items.length ? context.items : null,
      expiresAt: new Date(Date.now() + LAUNCH_TTL_MS),
    });
    return redirectWith(app, { iss: this.urls.issuer, launch });
  }
}
