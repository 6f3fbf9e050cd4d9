import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The documentation works in a fresh clone: every relative link (and image) in the repository's Markdown
 * resolves to a file inside the repository that git does not ignore, and a `#fragment` names a heading of its
 * target. Links that leave the repository (`../shared/…`) fail: a clone does not have them.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Folders that are not part of a clone (installed, built or generated), and hidden ones (`.git`, `.data`, `.ci`). */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'test-results']);

interface Link {
  /** The Markdown file the link is in, relative to the root. */
  file: string;
  line: number;
  target: string;
}

interface Broken extends Link {
  problem: string;
}

/** Every Markdown file of the repository (README.md, CONTRIBUTING.md, docs/, smart-launch/, src/**), sorted. */
function markdownFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(path));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) out.push(relative(ROOT, path).split(sep).join('/'));
  }
  return out.sort();
}

/** Blanks fenced code blocks (keeping line numbers), so examples inside them are not read as links. */
function withoutFences(text: string): string {
  let fence: string | null = null;
  return text
    .split('\n')
    .map((line) => {
      const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = null;
        return '';
      }
      if (m) {
        fence = m[1];
        return '';
      }
      return line;
    })
    .join('\n');
}

/** Blanks inline code spans (`like this`), keeping newlines: a code span can name a path without linking it. */
function withoutCodeSpans(text: string): string {
  return text.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, (span) => span.replace(/[^\n]/g, ' '));
}

/** The links of one Markdown text: inline links and images (nested too), reference definitions, HTML href/src. */
function extractLinks(file: string, markdown: string): Link[] {
  const text = withoutCodeSpans(withoutFences(markdown));
  const found: { index: number; target: string }[] = [];
  // Innermost first, then the text is replaced by a placeholder of the same length, so `[![img](a)](b)` yields both.
  const inline = /!?\[([^[\]]*)\]\(\s*(<[^>]*>|[^()\s]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
  let rest = text;
  for (;;) {
    let any = false;
    rest = rest.replace(inline, (match: string, _label: string, target: string, index: number) => {
      any = true;
      found.push({ index, target: target.replace(/^<|>$/g, '') });
      return 'x'.repeat(match.length);
    });
    if (!any) break;
  }
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)) found.push({ index: m.index, target: m[1].replace(/^<|>$/g, '') });
  for (const m of text.matchAll(/<(?:a|img|source)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']*)["']/gi)) found.push({ index: m.index, target: m[1] });
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  return found.sort((a, b) => a.index - b.index).map((f) => ({ file, line: lineOf(f.index), target: f.target }));
}

/** GitHub's anchor for a heading: rendered text, lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images keep their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*~]/g, '') // code and emphasis markers (underscores stay, as GitHub keeps them)
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown text offers: its headings (ATX and setext, duplicates numbered) and HTML ids/names. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (heading: string) => {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  };
  const lines = withoutFences(markdown).split('\n');
  lines.forEach((line, i) => {
    const atx = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
    if (atx) return add(atx[1] ?? '');
    const next = lines[i + 1] ?? '';
    if (line.trim() && !/^\s*[|>-]/.test(line) && /^ {0,3}(=+|-+)\s*$/.test(next)) add(line.trim());
  });
  for (const m of markdown.matchAll(/<a\b[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']/gi)) anchors.add(m[1].toLowerCase());
  return anchors;
}

/** Is this path ignored by git (so absent from a clone)? Undefined when git cannot say (no git, not a repository). */
function gitIgnored(root: string, path: string): boolean | undefined {
  try {
    execFileSync('git', ['check-ignore', '-q', '--', path], { cwd: root, stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as { status?: number }).status === 1 ? false : undefined;
  }
}

/** What is wrong with one link, or null when it resolves inside the repository. External URLs are not checked. */
function problemOf(link: Link): string | null {
  const target = link.target.trim();
  if (!target) return 'empty link target';
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return null; // https:, mailto:, urn: …
  const hash = target.indexOf('#');
  const pathPart = (hash < 0 ? target : target.slice(0, hash)).split('?')[0];
  const fragment = hash < 0 ? null : target.slice(hash + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return 'the path is not valid URL encoding';
  }
  if (decoded.startsWith('/')) return 'an absolute path does not resolve in a clone; use a path relative to this file';
  // Walked segment by segment: a path that climbs above the root at any point depends on the clone's folder
  // name (`../main/README.md`), even when it comes back in.
  const segments = dirname(link.file).split('/').filter((s) => s && s !== '.');
  for (const s of decoded.split('/')) {
    if (s === '..') {
      if (!segments.length) return 'the link leaves the repository, so a clone does not have its target';
      segments.pop();
    } else if (s && s !== '.') segments.push(s);
  }
  // `#anchor` alone points into this very file.
  const inside = decoded ? segments.join(sep) : link.file.split('/').join(sep);
  const abs = join(ROOT, inside);
  if (!existsSync(abs)) return `no such file: ${inside.split(sep).join('/') || '.'}`;
  if (inside && gitIgnored(ROOT, inside)) return `${inside.split(sep).join('/')} is ignored by git, so a clone does not have it`;
  if (fragment && statSync(abs).isFile() && abs.toLowerCase().endsWith('.md')) {
    let wanted: string;
    try {
      wanted = decodeURIComponent(fragment).toLowerCase();
    } catch {
      return 'the anchor is not valid URL encoding';
    }
    if (!anchorsOf(readFileSync(abs, 'utf8')).has(wanted)) return `no heading for #${fragment} in ${inside.split(sep).join('/') || link.file}`;
  }
  return null;
}

function brokenLinks(files: string[]): Broken[] {
  const out: Broken[] = [];
  for (const file of files) {
    for (const link of extractLinks(file, readFileSync(join(ROOT, file), 'utf8'))) {
      const problem = problemOf(link);
      if (problem) out.push({ ...link, problem });
    }
  }
  return out;
}

const describeBroken = (broken: Broken[]) => broken.map((b) => `${b.file}:${b.line} (${b.target}): ${b.problem}`);

describe('documentation links', () => {
  const files = markdownFiles();

  it('covers the README, docs/, the browser app and the module notes', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'smart-launch/README.md', 'src/questionnaires/README.md', 'src/reports/README.md']));
    if (existsSync(join(ROOT, 'CONTRIBUTING.md'))) expect(files).toContain('CONTRIBUTING.md');
  });

  it('resolve to files inside the repository (and anchors to headings)', () => {
    expect(describeBroken(brokenLinks(files))).toEqual([]);
  });

  it('include the architecture document from the README', () => {
    const targets = extractLinks('README.md', readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => l.target.split('#')[0]);
    expect(targets).toContain('docs/architecture.md');
  });
});

describe('the link checker', () => {
  const check = (markdown: string, file = 'README.md') => describeBroken(extractLinks(file, markdown).flatMap((l) => {
    const problem = problemOf(l);
    return problem ? [{ ...l, problem }] : [];
  }));

  it('refuses a link that leaves the repository, even to a file that exists there', () => {
    expect(check('Architecture: [`../shared/DESIGN.md`](../shared/DESIGN.md).')).toEqual([
      'README.md:1 (../shared/DESIGN.md): the link leaves the repository, so a clone does not have its target',
    ]);
    expect(check('![x](../../docs/screenshots/patient-view.png)', 'smart-launch/README.md')).toHaveLength(1);
    expect(check(`[up](../${ROOT.split(sep).pop()}/README.md)`)).toHaveLength(1);
  });

  it('accepts a relative link that stays inside, and reports missing files, anchors and ignored paths', () => {
    expect(check('![view](../docs/screenshots/patient-view.png)', 'smart-launch/README.md')).toEqual([]);
    expect(check('[routes](README.md#routes) [top](#routes) [web](https://example.org/x) [mail](mailto:a@example.org)')).toEqual([]);
    expect(check('[gone](docs/nothing-here.md)')).toEqual(['README.md:1 (docs/nothing-here.md): no such file: docs/nothing-here.md']);
    expect(check('\n[x](README.md#no-such-heading)')).toEqual(['README.md:2 (README.md#no-such-heading): no heading for #no-such-heading in README.md']);
    expect(check('[root](/README.md)')).toHaveLength(1);
    expect(check('[modules](node_modules/jest/package.json)')).toEqual(['README.md:1 (node_modules/jest/package.json): node_modules/jest/package.json is ignored by git, so a clone does not have it']);
  });

  it('reads nested images, reference definitions and HTML, and skips code', () => {
    const md = ['[![shot](a.png)](b.md)', '[ref]: c.md "title"', '<img src="d.png">', '`[not](e.md)`', '```', '[not](f.md)', '```'].join('\n');
    expect(extractLinks('x.md', md).map((l) => `${l.line}:${l.target}`)).toEqual(['1:b.md', '1:a.png', '2:c.md', '3:d.png']);
  });

  it("names headings as GitHub does", () => {
    expect([...anchorsOf('# Write-back: where, as whom, and how\n## A `real` PostgreSQL\n## Routes\n## Routes\nSetext\n---')]).toEqual([
      'write-back-where-as-whom-and-how',
      'a-real-postgresql',
      'routes',
      'routes-1',
      'setext',
    ]);
  });
});
