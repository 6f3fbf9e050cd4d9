import { Injectable } from '@nestjs/common';
import type { PlanDefinition } from 'fhir/r4.js';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { audited, type Actor } from '../shared/actor.js';
import { isUuid } from '../../common/uuid.js';
import { isUniqueViolation } from '../shared/lookup.js';
import { planDefinitionOf } from './plan-definition.fhir.js';
import { compareVersions, type ProgramInput, type VersionInput } from './program-definition.js';
import { ProgramVersion } from './program-version.entity.js';
import { Program } from './program.entity.js';
import { programView, versionFacts, versionView } from './program.views.js';

export interface LoadedVersion {
  program: Program;
  version: ProgramVersion;
  current: boolean;
}

/** The program catalogue: programs and their immutable, versioned definitions. */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list() {
    const programs = await this.ds.getRepository(Program).find({ order: { slug: 'ASC' } });
    const versions = await this.ds.getRepository(ProgramVersion).find();
    return programs.map((p) => {
      const own = sortVersions(versions.filter((v) => v.programId === p.id));
      return programView(p, own[own.length - 1], own);
    });
  }

  async get(idOrSlug: string) {
    const { program, all } = await this.load(this.ds.manager, idOrSlug);
    return programView(program, all[all.length - 1], all);
  }

  /** A version (the current one by default) as a FHIR PlanDefinition. */
  async planDefinition(idOrSlug: string, version?: string): Promise<PlanDefinition> {
    const v = await this.version(this.ds.manager, idOrSlug, version);
    return planDefinitionOf(versionFacts(v.program, v.version, v.current));
  }

  /** A program and one of its versions (the latest by default); PROGRAMS.UNKNOWN_PROGRAM when either is missing. */
  async version(m: EntityManager, idOrSlug: string, version?: string): Promise<LoadedVersion> {
    const { program, all } = await this.load(m, idOrSlug);
    const v = version ? all.find((x) => x.version === version) : all[all.length - 1];
    if (!v) throw new DomainError('PROGRAMS.UNKNOWN_PROGRAM', `Program '${program.slug}' has no version ${version}.`);
    return { program, version: v, current: v === all[all.length - 1] };
  }

  /** A version by its row id, with its program (cohorts and enrolments keep the id). */
  async versionById(m: EntityManager, versionId: string): Promise<LoadedVersion> {
    const version = await m.getRepository(ProgramVersion).findOneByOrFail({ id: versionId });
    const { program, all } = await this.load(m, version.programId);
    return { program, version, current: all[all.length - 1].id === version.id };
  }

  async create(input: ProgramInput, actor: Actor) {
    const { slug, kind, ...definition } = input;
    return this.ds.transaction(async (m) => {
      if (await m.getRepository(Program).existsBy({ slug })) throw duplicate(`A program '${slug}' already exists.`);
      const program = await m
        .getRepository(Program)
        .save(m.getRepository(Program).create({ slug, kind }))
        .catch((err: unknown) => {
          throw isUniqueViolation(err, 'UQ_program_slug') ? duplicate(`A program '${slug}' already exists.`) : err;
        });
      const version = await this.insertVersion(m, program, definition, actor);
      await this.audit.record({ action: 'program.create', outcome: 'success', ...audited(actor), resourceType: 'PlanDefinition', resourceId: program.id, detail: { slug, version: version.version } }, m);
      return programView(program, version, [version]);
    });
  }

  /** Publishes a new version; it must be greater than every earlier one (earlier ones stay, for their enrolments). */
  async publish(idOrSlug: string, input: VersionInput, actor: Actor) {
    return this.ds.transaction(async (m) => {
      const { program, all } = await this.load(m, idOrSlug, true);
      const latest = all[all.length - 1];
      if (compareVersions(input.version, latest.version) <= 0) {
        throw duplicate(`Version ${input.version} is not newer than the current version ${latest.version}.`);
      }
      const version = await this.insertVersion(m, program, input, actor);
      await this.audit.record({ action: 'program.publish', outcome: 'success', ...audited(actor), resourceType: 'PlanDefinition', resourceId: program.id, detail: { slug: program.slug, version: version.version } }, m);
      return versionView(program, version);
    });
  }

  private async insertVersion(m: EntityManager, program: Program, input: VersionInput, actor: Actor): Promise<ProgramVersion> {
    const repo = m.getRepository(ProgramVersion);
    try {
      return await repo.save(repo.create({ ...input, programId: program.id, publishedBy: actor.user.fhirUser }));
    } catch (err) {
      if (isUniqueViolation(err, 'UQ_program_version_program_version')) throw duplicate(`Version ${input.version} already exists.`);
      throw err;
    }
  }

  /** The program by id or slug, with all its versions in ascending order; `lock` serialises publishing. */
  private async load(m: EntityManager, idOrSlug: string, lock = false): Promise<{ program: Program; all: ProgramVersion[] }> {
    const program = await m.getRepository(Program).findOne({
      where: isUuid(idOrSlug) ? { id: idOrSlug } : { slug: idOrSlug },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!program) throw new DomainError('PROGRAMS.UNKNOWN_PROGRAM', `There is no program '${idOrSlug}'.`, [{ message: 'unknown program', expression: 'program' }]);
    const all = sortVersions(await m.getRepository(ProgramVersion).findBy({ programId: program.id }));
    return { program, all };
  }
}

const duplicate = (message: string) => new DomainError('PROGRAMS.DUPLICATE', message);
const sortVersions = (vs: ProgramVersion[]) => [...vs].sort((a, b) => compareVersions(a.version, b.version));
