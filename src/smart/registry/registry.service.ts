import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { isUuid } from '../../common/uuid.js';
import { TokenCipher } from '../crypto/token-cipher.js';
import { EhrRegistration } from './ehr-registration.entity.js';
import { canonicalIssuer, wildcardCovers } from '../launch/issuer-url.js';
import type { RegistrationInput, RegistrationPatch } from './registration.schema.js';

export interface Actor {
  actor: string;
  actorRole: string | null;
  requestId?: string | null;
}

/** What the API shows of a registration: never the secret. */
export function publicView(r: EhrRegistration) {
  return {
    id: r.id,
    issuer: r.issuer,
    name: r.name,
    clientId: r.clientId,
    clientAuth: r.clientAuth,
    hasClientSecret: !!r.clientSecretEnc,
    scopes: r.scopes,
    systemScopes: r.systemScopes,
    frameAncestors: r.frameAncestors,
    enabled: r.enabled,
    writeBack: {
      fhirBaseUrl: r.fhirBaseUrl,
      tokenEndpoint: r.tokenEndpoint,
      systemClientId: r.systemClientId,
      auth: r.writeBackAuth,
      delivery: r.delivery,
    },
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The EHRs a launch may come from. Every change is audited. */
@Injectable()
export class RegistryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private frameOrigins: string[] = [];
  private timer?: NodeJS.Timeout;
  private changes = 0;

  constructor(
    @InjectRepository(EhrRegistration) private readonly repo: Repository<EhrRegistration>,
    private readonly cipher: TokenCipher,
    private readonly audit: AuditService,
  ) {}

  /** Other instances may change the registry: re-read the framing origins every minute. */
  async onApplicationBootstrap(): Promise<void> {
    await this.refreshFrameOrigins();
    this.timer = setInterval(() => void this.refreshFrameOrigins().catch(() => undefined), 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  list(): Promise<EhrRegistration[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<EhrRegistration> {
    const found = isUuid(id) ? await this.repo.findOneBy({ id }) : null;
    if (!found) throw new DomainError('REGISTRY.NOT_FOUND', 'No such EHR registration.');
    return found;
  }

  /**
   * The enabled registration for a launch's `iss`, or null. Trailing slashes do not matter. An exact
   * registration wins; otherwise a `…/*` registration whose path (ending in `/`) prefixes the iss.
   */
  async findEnabledByIssuer(issuer: string): Promise<EhrRegistration | null> {
    const iss = canonicalIssuer(issuer);
    if (!iss) return null;
    const exact = await this.repo.findOneBy({ issuer: iss, enabled: true });
    if (exact) return exact;
    const wildcards = await this.repo.createQueryBuilder('r').where('r.enabled AND r.issuer LIKE :w', { w: '%/*' }).getMany();
    return wildcards.find((r) => wildcardCovers(r.issuer, iss)) ?? null;
  }

  clientSecret(r: EhrRegistration): string | undefined {
    return r.clientSecretEnc ? this.cipher.decrypt(r.clientSecretEnc) : undefined;
  }

  async create(input: RegistrationInput, by: Actor): Promise<EhrRegistration> {
    if (await this.repo.findOneBy({ issuer: input.issuer })) {
      throw new DomainError('REGISTRY.DUPLICATE', 'This issuer is already registered.');
    }
    const { clientSecret, ...rest } = input;
    const saved = await this.repo.save(
      this.repo.create({
        ...rest,
        scopes: rest.scopes ?? null,
        systemScopes: rest.systemScopes ?? null,
        fhirBaseUrl: rest.fhirBaseUrl ?? null,
        tokenEndpoint: rest.tokenEndpoint ?? null,
        systemClientId: rest.systemClientId ?? null,
        writeBackAuth: rest.writeBackAuth ?? 'system',
        delivery: rest.delivery ?? {},
        clientSecretEnc: clientSecret ? this.cipher.encrypt(clientSecret) : null,
      }),
    );
    await this.changed('registry.create', saved, by);
    return saved;
  }

  async update(id: string, patch: RegistrationPatch, by: Actor, action = 'registry.update'): Promise<EhrRegistration> {
    const current = await this.get(id);
    const { clientSecret, ...rest } = patch;
    // Where tokens and PHI go: the audit keeps the old and new values, not only that they changed.
    const moved = (['issuer', 'fhirBaseUrl', 'tokenEndpoint', 'systemClientId', 'writeBackAuth'] as const)
      .filter((k) => k in rest && (rest as Record<string, unknown>)[k] !== current[k])
      .map((k) => ({ field: k, from: current[k], to: (rest as Record<string, unknown>)[k] }));
    Object.assign(current, rest);
    if (clientSecret) current.clientSecretEnc = this.cipher.encrypt(clientSecret);
    if (current.clientAuth === 'client_secret_basic' && !current.clientSecretEnc) {
      throw new DomainError('COMMON.VALIDATION', 'clientSecret is required for client_secret_basic.');
    }
    const saved = await this.repo.save(current);
    await this.changed(action, saved, by, Object.keys(patch), moved);
    return saved;
  }

  /**
   * An admin disables a registration: never the one their own session came through (they would cut the branch
   * they sit on), nor the last enabled one (nobody could launch the app any more). The enabled rows are locked,
   * so two admins disabling the last two at once cannot both succeed. The CLI, the operator's way back in,
   * is not held to these rules.
   */
  async disable(id: string, by: Actor, sessionRegistrationId: string): Promise<EhrRegistration> {
    const current = await this.get(id);
    if (current.id === sessionRegistrationId) {
      throw new DomainError('REGISTRY.OWN_REGISTRATION', `You are signed in through ${current.name}: disabling it would end your own access. Sign in through another EHR to disable it.`);
    }
    if (!current.enabled) return current;
    const saved = await this.repo.manager.transaction(async (m) => {
      const enabled: { id: string }[] = await m.query(`SELECT id FROM ehr_registration WHERE enabled ORDER BY id FOR UPDATE`);
      if (!enabled.some((r) => r.id !== id)) {
        throw new DomainError('REGISTRY.LAST_ENABLED', `${current.name} is the last enabled EHR registration: with it disabled nobody could launch the app. Enable or register another EHR first.`);
      }
      await m.update(EhrRegistration, { id }, { enabled: false });
      return m.findOneByOrFail(EhrRegistration, { id });
    });
    await this.changed('registry.disable', saved, by, ['enabled']);
    return saved;
  }

  /** Launches from a disabled registration are accepted again. */
  async enable(id: string, by: Actor): Promise<EhrRegistration> {
    return this.update(id, { enabled: true }, by, 'registry.enable');
  }

  /** Creates or refreshes a registration by issuer (used for the sandbox EHR at boot). */
  async upsert(input: RegistrationInput, by: Actor): Promise<EhrRegistration> {
    const existing = await this.repo.findOneBy({ issuer: input.issuer });
    if (!existing) return this.create(input, by);
    const { issuer: _issuer, ...patch } = input;
    return this.update(existing.id, patch, by);
  }

  /** Moves on every change made here: what caches a registration's state (signed-in sessions) reads it again. */
  get generation(): number {
    return this.changes;
  }

  /** Origins that may frame the app: every enabled registration's list. Cached; refreshed on change. */
  allowedFrameOrigins(): string[] {
    return this.frameOrigins;
  }

  async refreshFrameOrigins(): Promise<void> {
    const enabled = await this.repo.findBy({ enabled: true });
    this.frameOrigins = [...new Set(enabled.flatMap((r) => r.frameAncestors))];
  }

  private async changed(action: string, r: EhrRegistration, by: Actor, fields?: string[], moved: { field: string; from: unknown; to: unknown }[] = []): Promise<void> {
    this.changes++;
    await this.refreshFrameOrigins();
    await this.audit.record({
      action,
      outcome: 'success',
      actor: by.actor,
      actorRole: by.actorRole,
      resourceType: 'EhrRegistration',
      resourceId: r.id,
      requestId: by.requestId ?? null,
      detail: fields
        ? { fields: fields.filter((f) => f !== 'clientSecret').concat(fields.includes('clientSecret') ? ['clientSecret(changed)'] : []), ...(moved.length ? { moved } : {}) }
        : null,
    });
  }
}
