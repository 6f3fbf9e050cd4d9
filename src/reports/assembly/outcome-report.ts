// Assembles the outcome report from the port's aggregated data. Pure: no Nest, no database. All counts go
// into one disclosure table, solved once, so every output built from the report is de-identified alike.
import type { OutcomeData } from '../outcome-data.port.js';
import { DisclosureTable } from '../disclosure.js';
import { registerExperience } from './experience.section.js';
import { registerFunnel } from './funnel.section.js';
import { reportNotes } from './notes.js';
import { registerOutcomes } from './outcome.section.js';
import type { ChartData, OutcomeReport } from './outcome-report.types.js';
import { registerParticipation } from './participation.section.js';

export interface AssemblyOptions {
  /** Smallest count shown (1..threshold − 1 suppressed). */
  threshold: number;
  /** The filters as printed (no clinic id). */
  filters: Record<string, string>;
  generatedAt: Date;
}

export function assembleOutcomeReport(data: OutcomeData, options: AssemblyOptions): { report: OutcomeReport; charts: ChartData } {
  const t = new DisclosureTable(options.threshold);
  const funnel = registerFunnel(t, data);
  const participation = registerParticipation(t, data, funnel.refs);
  const outcomes = registerOutcomes(t, data, funnel.refs, options.threshold);
  const experience = registerExperience(t, data, funnel.refs);
  t.solve();

  const { funnel: funnelSection, retention } = funnel.render();
  const { attendance, assessments } = participation.render();
  const { outcomes: outcomeFigures, charts } = outcomes();
  const { satisfaction, safety } = experience.render();
  const p = data.program;
  const report: OutcomeReport = {
    title: `Outcome report: ${p.title}`,
    generatedAt: options.generatedAt.toISOString(),
    program: { slug: p.slug, title: p.title, version: p.version },
    filters: options.filters,
    deidentified: true,
    suppression: {
      threshold: options.threshold,
      rule:
        options.threshold > 1
          ? `Counts 1–${options.threshold - 1} and the counts that would reveal them are shown as { "suppressed": true }, as are figures computed from them.`
          : 'No count is suppressed (threshold 1).',
    },
    funnel: funnelSection,
    retention,
    attendance,
    assessments,
    outcomes: outcomeFigures,
    satisfaction,
    safety,
    notes: reportNotes(data, outcomeFigures, options.threshold, options.filters.answerMode, options.filters.language),
  };
  return { report, charts };
}
