import { handCohort, largeCohort, PHQ9_ONLY } from '../../../../test/support/reports/cohorts.js';
import { InMemoryOutcomeData } from '../../../../test/support/reports/in-memory-outcome-data.js';
import { mscProgram } from '../../../../test/support/reports/synthetic-cohort.js';
import { assembleOutcomeReport } from '../../assembly/outcome-report.js';
import { figuresOf, resolvePointer } from '../../figures.js';
import { renderOutcomeReportHtml } from './outcome-report.html.js';

async function render(threshold: number, people = handCohort(), program = PHQ9_ONLY, filters: Record<string, string> = { program: 'p' }) {
  const data = await new InMemoryOutcomeData(program, people).load({ registrationId: 'c', program: 'p' });
  const { report, charts } = assembleOutcomeReport(data, { threshold, filters, generatedAt: new Date('2026-07-01T08:00:00Z') });
  // The JSON as the API sends it: what a browser test compares the page with.
  const json = JSON.parse(JSON.stringify(report)) as unknown;
  return { html: renderOutcomeReportHtml(report, charts, figuresOf(report)), json };
}

const attr = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('the HTML report', () => {
  it('is one self-contained page: no scripts, no external assets, no event handlers', async () => {
    const { html } = await render(1);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).toMatch(/<style>/);
  });

  it('draws the funnel, the forest plot, retention per cohort and paired lines, each titled and with a data table', async () => {
    const { html } = await render(1);
    for (const id of ['chart-funnel', 'chart-forest', 'chart-retention', 'chart-pairs-0']) {
      const figure = html.slice(html.indexOf(`<figure class="chart" id="${id}">`));
      expect(figure.length).toBeLessThan(html.length);
      const block = figure.slice(0, figure.indexOf('</figure>'));
      expect(block).toMatch(new RegExp(`<svg [^>]*role="img" aria-labelledby="${id}-title ${id}-desc"`));
      expect(block).toMatch(new RegExp(`<title id="${id}-title">[^<]+</title>`));
      expect(block).toMatch(/<table class="chart-data"/);
    }
    // Six pairs → six lines plus the mean.
    const pairs = html.slice(html.indexOf('id="chart-pairs-0"'));
    expect(pairs.slice(0, pairs.indexOf('</svg>')).match(/class="pair"/g)).toHaveLength(6);
  });

  it.each([
    ['threshold 1', 1, handCohort(), PHQ9_ONLY],
    ['threshold 11', 11, largeCohort(), mscProgram()],
  ])('gives every data-figure the value its JSON pointer holds (%s)', async (_name, threshold, people, program) => {
    const { html, json } = await render(threshold, people, program);
    const cells = [...html.matchAll(/data-figure="([^"]+)" data-value="([^"]*)"/g)].map((m) => [attr(m[1]), attr(m[2])]);
    expect(cells.length).toBeGreaterThan(60);
    for (const [pointer, value] of cells) {
      const expected = resolvePointer(json, pointer);
      expect({ pointer, value }).toEqual({ pointer, value: expected === null ? 'null' : typeof expected === 'object' ? 'suppressed' : String(expected) });
    }
    expect(new Set(cells.map(([p]) => p))).toContain('/outcomes/0/paired/change/mean');
  });

  it('speaks to people: the suppression rule without JSON syntax, the generation time as a date and time', async () => {
    const { html } = await render(11, largeCohort(), mscProgram());
    const text = attr(html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
    expect(text).toContain('Counts 1–10 and the counts that would reveal them are shown as “suppressed”, as are figures computed from them.');
    expect(text).toContain('generated 1 Jul 2026, 08:00 UTC');
    expect(text).not.toMatch(/[{}]|"suppressed"|\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it('names its filters in words with their values, never as query keys', async () => {
    const header = (html: string) => attr(html.slice(html.indexOf('<header>'), html.indexOf('</header>')).replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
    const cohort = '8d6e4a20-1b3c-4f5e-8a7b-2c9d0e1f3a45';
    const filters = { program: 'p', version: '1.0.0', cohort, from: '2026-01-01', to: '2026-06-30', participantType: 'caregiver', answerMode: 'proxy', language: 'es' };
    const oneCohort = handCohort().map((p) => ({ ...p, cohort: p.cohort && 'Spring group' }));
    const text = header((await render(1, oneCohort, PHQ9_ONLY, filters)).html);
    expect(text).toContain(
      'Filters: Program version: 1.0.0 only; Cohort: Spring group; Referred: 1 Jan 2026 – 30 Jun 2026; Participants: caregivers only; ' +
        'Questionnaire answers: only those given for the participants by someone else (proxy), in Spanish (es) ·',
    );
    expect(text).not.toMatch(/\b(programVersion|version|cohort|from|to|participantType|answerMode|language|program) =/);
    expect(text).not.toContain(cohort);
    expect(header((await render(1, handCohort(), PHQ9_ONLY, { program: 'p', from: '2026-03-05' })).html)).toContain('Filters: Referred: from 5 Mar 2026 ·');
    expect(header((await render(1)).html)).toContain('Filters: none ·');
  });

  it('leaves out individual lines where the paired n is below the threshold, and escapes text from data', async () => {
    const people = handCohort().map((p) => ({ ...p, cohort: p.cohort && '<b>Spring</b> & "co"' }));
    const { html } = await render(11, people);
    expect(html).not.toContain('chart-pairs-0');
    expect(html).toContain('&lt;b&gt;Spring&lt;/b&gt; &amp; &quot;co&quot;');
    expect(html).not.toContain('<b>Spring</b>');
  });
});
