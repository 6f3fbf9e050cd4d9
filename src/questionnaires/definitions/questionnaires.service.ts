import { Injectable } from '@nestjs/common';
import { withBuiltInTranslations } from '../engine/translations/translate.js';
import type { Questionnaire } from 'fhir/r4.js';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { canonicalOf, compareVersions, parseCanonical } from '../engine/canonical.js';
import { validateQuestionnaireImport } from '../engine/import-validation.js';
import { BUILT_IN_INSTRUMENTS, InstrumentLibrary } from '../engine/instrument-library.js';
import type { InstrumentDefinition } from '../engine/instrument.types.js';
import { issueDetails } from '../issue-details.js';
import { contentHash } from './content-hash.js';
import { QuestionnaireDefinition } from './questionnaire-definition.entity.js';
import { isBuiltIn, slugOf, summaryOf, type QuestionnaireSummary } from './questionnaire-views.js';

export interface Importer {
  registrationId: string;
  actor: string;
  actorRole: string;
  requestId: string | null;
}

const STATUSES = ['draft', 'active', 'retired', 'unknown'];

/**
 * The instruments of each clinic: the built-ins plus the Questionnaires it imported, as one InstrumentLibrary
 * per EHR registration. Cached; a canonical missing from the cache reloads it, so another instance's import is
 * seen on first use (versions are immutable, so a cached one is never stale).
 */
@Injectable()
export class QuestionnairesService {
  private readonly libraries = new Map<string, InstrumentLibrary>();

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Exact `url|version`, or a bare url for its highest version. Pass the caller's manager inside a transaction. */
  async find(registrationId: string, canonical: string, m?: EntityManager): Promise<InstrumentDefinition | undefined> {
    const pinned = parseCanonical(canonical).version !== undefined;
    const hit = pinned ? this.libraries.get(registrationId)?.find(canonical) : undefined;
    return hit ?? (await this.load(registrationId, m)).find(canonical);
  }

  async list(registrationId: string): Promise<QuestionnaireSummary[]> {
    return this.definitions(await this.load(registrationId)).map(summaryOf);
  }

  /** By url-encoded canonical (`url` or `url|version`) or by slug (`phq-9`), optionally pinned to `version`. */
  async get(registrationId: string, id: string, version?: string): Promise<Questionnaire> {
    const library = await this.load(registrationId);
    const found = id.includes('/')
      ? library.find(version ? `${parseCanonical(id).url}|${version}` : id)
      : this.definitions(library)
          .filter((d) => slugOf(d.questionnaire) === id && (!version || d.questionnaire.version === version))
          .sort((a, b) => compareVersions(b.questionnaire.version ?? '', a.questionnaire.version ?? ''))[0];
    if (!found) throw new DomainError('QUESTIONNAIRES.NOT_FOUND', 'No such questionnaire.');
    // Served with its translations (FHIR translation extensions): the player shows it in the person's language.
    return withBuiltInTranslations(found.questionnaire);
  }

  /** Validates and stores a clinic's Questionnaire version; the same content again is a no-op, other content 409. */
  async import(body: unknown, who: Importer): Promise<{ created: boolean; summary: QuestionnaireSummary }> {
    const result = validateQuestionnaireImport(body);
    const q = result.definition?.questionnaire;
    if (q && !STATUSES.includes(q.status)) result.issues.push({ severity: 'error', rule: 'invalid-metadata', message: `Unknown status ${q.status}`, expression: 'Questionnaire.status' });
    if (q && /\|/.test(`${q.url}${q.version}`)) result.issues.push({ severity: 'error', rule: 'invalid-metadata', message: 'url and version cannot contain |', expression: 'Questionnaire.url' });
    const definition = result.definition;
    if (!definition || result.issues.some((i) => i.severity === 'error')) {
      throw new DomainError('QUESTIONNAIRES.INVALID_QUESTIONNAIRE', 'The Questionnaire cannot be imported.', issueDetails(result.issues));
    }
    const canonical = canonicalOf(definition.questionnaire);
    if (isBuiltIn(canonical)) throw new DomainError('QUESTIONNAIRES.VERSION_EXISTS', `${canonical} is a built-in instrument; publish a new version or url.`);
    const hash = contentHash(definition);
    const row = await this.ds.transaction(async (m) => {
      const repo = m.getRepository(QuestionnaireDefinition);
      const { url, version } = parseCanonical(canonical);
      const existing = await repo.findOneBy({ registrationId: who.registrationId, url, version });
      if (existing) {
        if (existing.contentHash !== hash) throw new DomainError('QUESTIONNAIRES.VERSION_EXISTS', `${canonical} exists with other content; publish a new version.`);
        return { created: false, row: existing };
      }
      const saved = await repo.save(repo.create({
        registrationId: who.registrationId, url, version: version as string, name: definition.questionnaire.name ?? null,
        title: definition.questionnaire.title ?? null, status: definition.questionnaire.status, questionnaire: definition.questionnaire,
        scores: definition.scores, safetyRules: definition.safetyRules, contentHash: hash, importedBy: who.actor,
      }));
      await this.audit.record({ action: 'questionnaire.import', outcome: 'success', actor: who.actor, actorRole: who.actorRole, requestId: who.requestId, resourceType: 'Questionnaire', resourceId: canonical }, m);
      return { created: true, row: saved };
    }).catch((err: unknown) => {
      // Two admins importing the same version at once: the unique constraint decides, the loser is told.
      if ((err as { code?: unknown }).code === '23505') throw new DomainError('QUESTIONNAIRES.VERSION_EXISTS', `${canonical} was just imported.`);
      throw err;
    });
    this.libraries.delete(who.registrationId);
    return { created: row.created, summary: summaryOf(toDefinition(row.row)) };
  }

  private async load(registrationId: string, m?: EntityManager): Promise<InstrumentLibrary> {
    const rows = await (m ?? this.ds.manager).getRepository(QuestionnaireDefinition).find({ where: { registrationId }, order: { createdAt: 'ASC' } });
    // A row that shadows a built-in (only possible if a later release ships that version) is left out.
    const imported = rows.filter((r) => !isBuiltIn(`${r.url}|${r.version}`)).map(toDefinition);
    const library = new InstrumentLibrary([...BUILT_IN_INSTRUMENTS, ...imported]);
    this.libraries.set(registrationId, library);
    return library;
  }

  private definitions(library: InstrumentLibrary): InstrumentDefinition[] {
    return library.list().map((s) => library.find(s.canonical) as InstrumentDefinition);
  }
}

function toDefinition(row: QuestionnaireDefinition): InstrumentDefinition {
  return { questionnaire: row.questionnaire, scores: row.scores, safetyRules: row.safetyRules };
}
