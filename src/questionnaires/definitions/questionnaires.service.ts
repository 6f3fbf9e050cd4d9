import { Injectable } from '@nestjs/common';
import { withBuiltInTranslations } from '../engine/translations/translate.js';
import type { Questionnaire } from 'fhir/r4.js';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { canonicalOf, compareVersions, parseCanonical } from '../engine/canonical.js';
import { importDryRunIssue, validateQuestionnaireImport } from '../engine/import-validation.js';
import { BUILT_IN_INSTRUMENTS, InstrumentLibrary } from '../engine/instrument-library.js';
import type { InstrumentDefinition } from '../engine/instrument.types.js';
import { issueDetails } from '../issue-details.js';
import { contentHash } from './content-hash.js';
import { FhirPathDeadline } from './fhirpath-deadline.js';
import { QuestionnaireDefinition } from './questionnaire-definition.entity.js';
import { isBuiltIn, slugOf, summaryOf, type QuestionnaireSummary } from './questionnaire-views.js';

export interface Importer {
  registrationId: string;
  actor: string;
  actorRole: string;
  requestId: string | null;
}

const STATUSES = ['draft', 'active', 'retired', 'unknown'];

/** How long the list of a clinic's versions is served from memory before a count(*) checks for other instances' imports. */
export const FRESH_MS = 5_000;

interface Catalogue {
  library: InstrumentLibrary;
  /** Rows of the clinic seen in the last load (shadowing rows included): compared with count(*). */
  rows: number;
  checkedAt: number;
  /** A check or reload in flight, shared by concurrent callers. */
  pending?: Promise<InstrumentLibrary>;
  /** The list as sent (`GET /api/questionnaires`), for the library of `size` versions it was made from. */
  listed?: { size: number; json: string };
}

/**
 * The instruments of each clinic: the built-ins plus the Questionnaires it imported, as one InstrumentLibrary
 * per EHR registration, kept in memory with each version's parsed Questionnaire, item index and the fhirpath.js
 * compilation cached on that object. Stored versions are immutable and never deleted, so a cached version is
 * never stale; the only change is a new version. The rule:
 * - an import on this instance extends the library at once;
 * - a pinned `url|version` missing from the library is looked up in the database at once (another instance's
 *   import is found on first use);
 * - the list, a slug or a bare url (highest version) may miss another instance's import for at most
 *   {@link FRESH_MS}: after that, one `count(*)` of the clinic's rows (on the unique index) decides, and only a
 *   changed count reloads the rows (versions already held keep their compiled objects).
 */
@Injectable()
export class QuestionnairesService {
  private readonly catalogues = new Map<string, Catalogue>();

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly fhirpath: FhirPathDeadline,
  ) {}

  /** Exact `url|version`, or a bare url for its highest version. Pass the caller's manager inside a transaction. */
  async find(registrationId: string, canonical: string, m?: EntityManager): Promise<InstrumentDefinition | undefined> {
    const pinned = parseCanonical(canonical).version !== undefined;
    if (pinned) {
      const hit = this.catalogues.get(registrationId)?.library.find(canonical);
      return hit ?? (await this.reload(registrationId, m)).find(canonical);
    }
    return (await this.current(registrationId, m)).find(canonical);
  }

  async list(registrationId: string): Promise<QuestionnaireSummary[]> {
    return this.definitions(await this.current(registrationId)).map(summaryOf);
  }

  /**
   * {@link list} as JSON text, serialised once per content of the library: every screen asks for the list, and
   * mapping and serialising it again was most of the route's own work. Versions are immutable and the library only
   * grows, so its size says whether the text is current.
   */
  async listJson(registrationId: string): Promise<string> {
    const library = await this.current(registrationId);
    const c = this.catalogues.get(registrationId);
    if (c?.library === library && c.listed?.size === library.size) return c.listed.json;
    const json = JSON.stringify(this.definitions(library).map(summaryOf));
    if (c?.library === library) c.listed = { size: library.size, json };
    return json;
  }

  /** By url-encoded canonical (`url` or `url|version`) or by slug (`phq-9`), optionally pinned to `version`. */
  async get(registrationId: string, id: string, version?: string): Promise<Questionnaire> {
    const library = await this.current(registrationId);
    const found = id.includes('/')
      ? library.find(version ? `${parseCanonical(id).url}|${version}` : id)
      : this.definitions(library)
          .filter((d) => slugOf(d.questionnaire) === id && (!version || d.questionnaire.version === version))
          .sort((a, b) => compareVersions(b.questionnaire.version ?? '', a.questionnaire.version ?? ''))[0];
    if (!found && id.includes('/') && (version || parseCanonical(id).version)) {
      // A pinned version another instance just imported: looked up at once, like find().
      const again = (await this.reload(registrationId)).find(`${parseCanonical(id).url}|${version ?? parseCanonical(id).version}`);
      if (again) return withBuiltInTranslations(again.questionnaire);
    }
    if (!found) throw new DomainError('QUESTIONNAIRES.NOT_FOUND', 'No such questionnaire.');
    // Served with its translations (FHIR translation extensions): the player shows it in the person's language.
    return withBuiltInTranslations(found.questionnaire);
  }

  /** Validates and stores a clinic's Questionnaire version; the same content again is a no-op, other content 409. */
  async import(body: unknown, who: Importer): Promise<{ created: boolean; summary: QuestionnaireSummary }> {
    // The checks (which compile every expression cold) under an import's budget; then the form once as a save would
    // run it, under a save's budget: a form whose saves would overrun theirs is refused now, not at every save.
    const result = this.fhirpath.within('The import', () => validateQuestionnaireImport(body, { dryRun: false }), this.fhirpath.importBudgetMs);
    const checked = result.definition;
    if (checked && !result.issues.some((i) => i.severity === 'error')) {
      const issue = this.fhirpath.within('The import (the form run once as a save would)', () => importDryRunIssue(checked));
      if (issue) result.issues.push(issue);
    }
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
    this.extend(who.registrationId, row.created ? toDefinition(row.row) : undefined);
    return { created: row.created, summary: summaryOf(toDefinition(row.row)) };
  }

  /** The clinic's library, from memory while fresh; else after a count(*) check (see the class comment). */
  private async current(registrationId: string, m?: EntityManager): Promise<InstrumentLibrary> {
    const c = this.catalogues.get(registrationId);
    if (!c) return this.reload(registrationId, m);
    if (Date.now() - c.checkedAt < FRESH_MS) return c.library;
    c.pending ??= this.check(registrationId, c, m).finally(() => { c.pending = undefined; });
    return c.pending;
  }

  private async check(registrationId: string, c: Catalogue, m?: EntityManager): Promise<InstrumentLibrary> {
    const rows = await (m ?? this.ds.manager).getRepository(QuestionnaireDefinition).countBy({ registrationId });
    if (rows !== c.rows) return this.reload(registrationId, m);
    c.checkedAt = Date.now();
    return c.library;
  }

  /**
   * Reads the clinic's rows and adds the versions the library lacks (held ones keep their compiled objects);
   * the library only grows, so an import registered meanwhile on this instance is never lost.
   */
  private async reload(registrationId: string, m?: EntityManager): Promise<InstrumentLibrary> {
    const checkedAt = Date.now();
    const rows = await (m ?? this.ds.manager).getRepository(QuestionnaireDefinition).find({ where: { registrationId }, order: { createdAt: 'ASC' } });
    let c = this.catalogues.get(registrationId);
    if (!c) {
      c = { library: new InstrumentLibrary(BUILT_IN_INSTRUMENTS), rows: 0, checkedAt: 0 };
      this.catalogues.set(registrationId, c);
    }
    // A row that shadows a built-in (only possible if a later release ships that version) is left out.
    for (const r of rows) {
      if (!isBuiltIn(`${r.url}|${r.version}`) && !c.library.find(`${r.url}|${r.version}`)) c.library.register(toDefinition(r));
    }
    c.rows = Math.max(c.rows, rows.length);
    c.checkedAt = Math.max(c.checkedAt, checkedAt);
    return c.library;
  }

  /** After an import on this instance: the new version is served at once, with no reload. */
  private extend(registrationId: string, created: InstrumentDefinition | undefined): void {
    const c = this.catalogues.get(registrationId);
    if (!c) return; // loaded on first use
    if (created && !c.library.find(canonicalOf(created.questionnaire))) {
      c.library.register(created);
      c.rows += 1;
    } else if (!created) {
      c.checkedAt = 0; // the same content again, maybe another instance's row: the next call checks
    }
  }

  private definitions(library: InstrumentLibrary): InstrumentDefinition[] {
    return library.list().map((s) => library.find(s.canonical) as InstrumentDefinition);
  }
}

function toDefinition(row: QuestionnaireDefinition): InstrumentDefinition {
  return { questionnaire: row.questionnaire, scores: row.scores, safetyRules: row.safetyRules };
}
