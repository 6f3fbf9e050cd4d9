import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ES } from '../smart-launch/src/lib/messages-es.js';

/**
 * The app's own words in Spanish (issue 15): every English phrase the browser app passes to `t(…)` or
 * `translate(lang, …)` has a Spanish entry in smart-launch/src/lib/messages-es.ts with the same {placeholders},
 * and no entry is left that nothing uses. A phrase without an entry would show in English on a Spanish screen.
 * The phrases are read from the sources (literal arguments, each branch of a `cond ? 'a' : 'b'`), so a new
 * phrase is checked the day it is written.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../smart-launch/src');

/** Calls whose argument is not a literal, where the phrase comes from data this test checks itself (or passes through). */
const DYNAMIC: Record<string, string[]> = {
  'lib/i18n.ts': ['text'], // useT's own t → translate
  'ui/Shell.tsx': ['text'],
  'main.tsx': ['text'], // the signed-out page's t → translate
  'ui/PatientBanner.tsx': ['text'],
  'pages/PlayerPage.tsx': ['text'],
  'player/WhoAnswering.tsx': ['m.label', 'm.hint'], // ANSWER_MODES, read below
};

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Call {
  file: string;
  arg: string;
  literals: string[];
  template: boolean;
}

/** The first argument of every `t(` and `translate(x, ` call: its text and the string literals in it. */
function calls(file: string, code: string): Call[] {
  const out: Call[] = [];
  for (const m of code.matchAll(/(?<!function )(?:\bt\(|\btranslate\(\s*[\w.]+\s*,)/g)) {
    let i = m.index + m[0].length;
    let depth = 0;
    const literals: string[] = [];
    let template = false;
    const start = i;
    for (; i < code.length; i++) {
      const c = code[i];
      if (c === "'" || c === '"' || c === '`') {
        const from = i;
        let s = '';
        for (i++; i < code.length && code[i] !== c; i++) s += code[i] === '\\' ? code[++i] : code[i];
        // A literal compared with (`x === 'completed' ? …`) is a condition, not a phrase.
        const compared = /[!=]==?\s*$/.test(code.slice(start, from)) || /^\s*[!=]==?/.test(code.slice(i + 1));
        if (c === '`') template = true;
        else if (!compared) literals.push(s);
      } else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    const arg = code.slice(start, i).trim();
    if (arg) out.push({ file, arg, literals, template });
  }
  return out;
}

/** ANSWER_MODES' labels and hints (shown through t(m.label), t(m.hint)), read from the source: the module imports
 * browser-resolved types this test's compiler does not resolve. */
const answerModeWords = [...readFileSync(join(SRC, 'player/answer-mode.ts'), 'utf8').matchAll(/\b(?:label|hint): '([^']+)'/g)].map((m) => m[1]);

const found = sources().flatMap((path) => calls(relative(SRC, path), readFileSync(path, 'utf8')));
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the app’s own words in Spanish', () => {
  it('finds the phrases (the scan works)', () => {
    const keys = found.flatMap((c) => c.literals);
    expect(keys).toEqual(expect.arrayContaining(['Question {n} of {total}', 'Display and input settings', 'Please choose one answer only.', 'My questionnaires']));
    expect(found.length).toBeGreaterThan(80);
    expect(answerModeWords).toHaveLength(8);
  });

  it('passes no template literal and no unlisted expression to t(): the phrase must be a catalogue key', () => {
    expect(found.filter((c) => c.template).map((c) => `${c.file}: t(${c.arg})`)).toEqual([]);
    const dynamic = found.filter((c) => !c.literals.length).map((c) => `${c.file}: ${c.arg}`);
    expect(dynamic.sort()).toEqual(Object.entries(DYNAMIC).flatMap(([file, args]) => args.map((a) => `${file}: ${a}`)).sort());
  });

  it('has a Spanish entry for every English phrase, with the same placeholders', () => {
    const english = new Set([...found.flatMap((c) => c.literals), ...answerModeWords]);
    const missing = [...english].filter((k) => !(k in ES));
    expect(missing).toEqual([]);
    const mismatched = Object.entries(ES).filter(([en, es]) => placeholders(en).join() !== placeholders(es).join());
    expect(mismatched).toEqual([]);
  });

  it('keeps no entry that nothing shows', () => {
    const english = new Set([...found.flatMap((c) => c.literals), ...answerModeWords]);
    expect(Object.keys(ES).filter((k) => !english.has(k))).toEqual([]);
  });

  /** Ways a page shows the server's (or an exception's) own text: its message, the error made a string, the issues' text. */
  const serverText = new RegExp(
    [
      String.raw`\b(?:e|ex|exc|err|error|exception|reason|problem)\.message\b`,
      String.raw`\bString\(\s*(?:e|ex|exc|err|error|exception|reason)\s*\)`,
      String.raw`\$\{\s*(?:e|ex|exc|err|error|exception|reason)(?:\.\w+)?\s*\}`,
      String.raw`\b(?:e|ex|exc|err|error|exception|reason)\.toString\(`,
      String.raw`\bissueText\b`,
      String.raw`\bfieldErrors\b`,
      String.raw`\.diagnostics\b`,
      String.raw`\.details\??\.text\b`,
      String.raw`<ErrorBox(?![^>]*\blines=)`,
    ].join('|'),
  );

  it('recognises the ways a page can show server or exception wording (the check below can fail)', () => {
    for (const shown of ['{ex.message}', '{err.message}', '<li>{error.message}</li>', 'String(e)', 'String( err )', '`Failed: ${e}`', '`${err.message}`', 'e.toString()', 'i.diagnostics', 'issue.details?.text', '<ErrorBox error={error} />']) {
      expect([shown, serverText.test(shown)]).toEqual([shown, true]);
    }
    for (const fine of ["t('The answers could not be saved.')", 'state.message', "<ErrorBox error={error} lines={[listProblem(error, t)]} />", 'messages.find((m) => m.language === lang)']) {
      expect([fine, serverText.test(fine)]).toEqual([fine, false]);
    }
  });

  it('shows a patient no server wording: the pages around the player say what went wrong in the catalogue’s words', () => {
    // The server's OperationOutcome text is English staff wording (linkIds, versions, ids): a patient's or caregiver's
    // page maps the refusal's status and coded error to a phrase (lib/patient-problems.ts, player/server-problems.ts).
    // Their pages: the player and the pages around it, their list, the frame and banner, and what the mapping reads.
    const patientPages = sources().filter((p) =>
      /[\\/](player|pages[\\/]player)[\\/]|PlayerPage\.tsx$|MyForms\.tsx$|main\.tsx$|[\\/]ui[\\/](Shell|SignOut|PatientBanner|Page)\.tsx$|patient-problems\.ts$|i18n\.ts$/.test(p),
    );
    expect(patientPages.length).toBeGreaterThan(20);
    expect(patientPages.map((p) => relative(SRC, p))).toEqual(expect.arrayContaining(['pages/player/LaunchFormProblem.tsx', 'main.tsx', 'ui/SignOut.tsx', 'ui/Shell.tsx', 'ui/PatientBanner.tsx', 'lib/patient-problems.ts']));
    expect(patientPages.filter((p) => serverText.test(readFileSync(p, 'utf8'))).map((p) => relative(SRC, p))).toEqual([]);
  });

  it('lets LaunchForm show server wording to staff only: a patient or caregiver gets LaunchFormProblem', () => {
    const code = readFileSync(join(SRC, 'pages/LaunchForm.tsx'), 'utf8');
    // The patient's branch comes before any staff ErrorBox, and is the only one taken when not staff.
    const patientBranch = code.indexOf('if (!staff && (error || !data || (form && !known))) return <LaunchFormProblem');
    expect(patientBranch).toBeGreaterThan(0);
    expect(code.indexOf('<ErrorBox')).toBeGreaterThan(patientBranch);
  });

  it('says every entry in Spanish (no English left in the catalogue, beyond words spelt alike)', () => {
    const same = Object.entries(ES).filter(([en, es]) => en === es).map(([en]) => en);
    expect(same.sort()).toEqual(['No', 'Normal']);
  });
});
