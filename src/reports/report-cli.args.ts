// Command-line options of `npm run report`, validated with the same schema as the HTTP query.
import { parseArgs } from 'node:util';
import { parseBody } from '../common/http/parse-body.js';
import { outcomeQuerySchema, type OutcomeQuery } from './outcome-filters.js';

export const REPORT_USAGE = `usage: npm run report -- --program SLUG [--version X.Y.Z] [--cohort UUID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
          [--participant-type patient|caregiver] [--answer-mode self|proxy] [--language es]
          [--format json|csv|measure-report|html]
          [--out FILE] [--registration UUID | --issuer URL] [--progress | --no-progress]
  Writes the clinic's de-identified outcome report (default JSON) to FILE, or to standard output.
  The clinic is the EHR registration given, or the only one registered.`;

export interface ReportCliArgs {
  query: OutcomeQuery;
  out: string | undefined;
  registration: string | undefined;
  issuer: string | undefined;
  /** Show a progress bar: forced on or off, or (undefined) when writing a CSV to a file from a terminal. */
  progress: boolean | undefined;
}

export function parseReportArgs(argv: string[]): ReportCliArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      program: { type: 'string' }, version: { type: 'string' }, cohort: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      'participant-type': { type: 'string' }, 'answer-mode': { type: 'string' }, language: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' },
      registration: { type: 'string' }, issuer: { type: 'string' }, progress: { type: 'boolean' }, 'no-progress': { type: 'boolean' },
    },
  });
  const raw = {
    program: values.program, version: values.version, cohort: values.cohort, from: values.from, to: values.to,
    participantType: values['participant-type'], answerMode: values['answer-mode'], language: values.language, format: values.format,
  };
  const query = parseBody(outcomeQuerySchema, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  return {
    query,
    out: values.out && values.out !== '-' ? values.out : undefined,
    registration: values.registration,
    issuer: values.issuer,
    progress: values['no-progress'] ? false : values.progress,
  };
}
