import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { readEnv } from './env.js';

export interface ReportsConfig {
  /**
   * Smallest count shown in de-identified outputs: counts 1..k−1 are suppressed (default 11, CMS's
   * cell-size rule). A CSV export is refused below it.
   */
  minCellSize: number;
}

export function loadReportsConfig(env: NodeJS.ProcessEnv = process.env): ReportsConfig {
  return {
    // Below 2 there would be no suppression at all: de-identified outputs must never be raw.
    minCellSize: readEnv(env, 'REPORT_MIN_CELL_SIZE', z.coerce.number().int().min(2).max(1000).default(11), 'an integer from 2 to 1000'),
  };
}

export const reportsConfig = registerAs('reports', () => loadReportsConfig());
