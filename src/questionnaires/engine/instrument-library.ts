import { canonicalOf, compareVersions, parseCanonical } from './canonical.js';
import type { InstrumentDefinition } from './instrument.types.js';
import { gad7 } from './instruments/gad7.js';
import { musicTherapyLog } from './instruments/music-therapy-log.js';
import { phq9 } from './instruments/phq9.js';
import { programSatisfaction } from './instruments/program-satisfaction.js';
import { scs26 } from './instruments/scs-26.js';
import { scsSf } from './instruments/scs-sf.js';
import { sessionCheckIn } from './instruments/session-check-in.js';
import { who5 } from './instruments/who5.js';

export type { InstrumentDefinition } from './instrument.types.js';

/** The instruments shipped with the module (free to use; licensed ones come in through import). */
export const BUILT_IN_INSTRUMENTS: readonly InstrumentDefinition[] = [
  phq9, gad7, who5, scsSf, programSatisfaction, sessionCheckIn, scs26, musicTherapyLog,
];

export interface InstrumentSummary {
  canonical: string;
  url: string;
  version: string;
  name?: string;
  title?: string;
}

/**
 * An in-memory catalogue of instrument versions. A Nest service can hold one per clinic, seeded with
 * the built-ins and the clinic's imported forms; definitions must not be mutated once registered
 * (fhirpath.js caches item lookups per Questionnaire object).
 */
export class InstrumentLibrary {
  private readonly byCanonical = new Map<string, InstrumentDefinition>();

  constructor(definitions: readonly InstrumentDefinition[] = BUILT_IN_INSTRUMENTS) {
    definitions.forEach((d) => this.register(d));
  }

  /** Adds a version; a `url|version` already present is refused, since published versions are immutable. */
  register(definition: InstrumentDefinition): void {
    const { url, version } = definition.questionnaire;
    if (!url || !version) throw new Error('An instrument needs Questionnaire.url and Questionnaire.version');
    const canonical = canonicalOf(definition.questionnaire);
    if (this.byCanonical.has(canonical)) throw new Error(`Instrument ${canonical} is already registered`);
    this.byCanonical.set(canonical, definition);
  }

  /** How many versions are registered (the library only grows: a count names its content). */
  get size(): number {
    return this.byCanonical.size;
  }

  list(): InstrumentSummary[] {
    return [...this.byCanonical.entries()].map(([canonical, { questionnaire: q }]) => ({
      canonical,
      url: q.url as string,
      version: q.version as string,
      name: q.name,
      title: q.title,
    }));
  }

  /** Exact `url|version`; a bare url resolves to its highest version. */
  find(canonical: string): InstrumentDefinition | undefined {
    const { url, version } = parseCanonical(canonical);
    if (version !== undefined) return this.byCanonical.get(`${url}|${version}`);
    return [...this.byCanonical.values()]
      .filter((d) => d.questionnaire.url === url)
      .sort((a, b) => compareVersions(b.questionnaire.version ?? '', a.questionnaire.version ?? ''))[0];
  }
}
