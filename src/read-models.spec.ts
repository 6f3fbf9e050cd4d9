import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROGRAMS_REPORT_VIEWS } from './programs/read-models/report-views.sql.js';
import { QUESTIONNAIRES_LANGUAGE_VIEW, QUESTIONNAIRES_REPORT_VIEWS } from './questionnaires/read-models/report-views.sql.js';
import { SMART_REPORT_VIEWS } from './smart/read-models/report-views.sql.js';

// The modules' read-models/ say what each report view is today; the migrations freeze what each created. A view
// changed in read-models/ without a new migration that re-creates it fails here (the schema would not follow).

const MIGRATIONS = fileURLToPath(new URL('../migrations/', import.meta.url));
const migrations = readdirSync(MIGRATIONS)
  .filter((f) => /^\d+-.*\.ts$/.test(f))
  .sort()
  .map((f) => ({ file: f, text: readFileSync(join(MIGRATIONS, f), 'utf8') }));
const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

const VIEWS = [...SMART_REPORT_VIEWS, ...PROGRAMS_REPORT_VIEWS, ...QUESTIONNAIRES_REPORT_VIEWS, QUESTIONNAIRES_LANGUAGE_VIEW];

describe('report views', () => {
  it.each(VIEWS.map((v) => [v.name, v] as const))('%s is defined as the newest migration naming it creates it', (name, view) => {
    const newest = migrations.filter((m) => m.text.includes(`'${name}'`) || m.text.includes(`"${name}"`)).at(-1);
    expect(newest).toBeDefined();
    // Only what the migration creates counts, not what its down() restores (the view it replaced).
    expect(squash(newest!.text.split('async down(')[0])).toContain(squash(view.select));
  });
});
