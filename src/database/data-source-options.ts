import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

export interface ConnectionSettings {
  url: string;
  /** A schema other than `public`: tests get a fresh one each. */
  schema?: string;
  poolSize: number;
  queryTimeoutMs: number;
  /** Longest wait for a pooled connection; beyond it pg-pool fails the request, which is answered 503. */
  connectionTimeoutMs?: number;
}

/** The one DataSource configuration shared by Nest, the migration CLI and tests. Never `synchronize`. */
export function dataSourceOptions(s: ConnectionSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: s.url,
    schema: s.schema,
    entities,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    poolSize: s.poolSize,
    extra: {
      // PGlite serialises transactions: a waiting connection must fail rather than hang forever. A saturated
      // pool queues callers; connectionTimeoutMillis bounds that wait (the error filter answers 503 + Retry-After).
      query_timeout: s.queryTimeoutMs,
      connectionTimeoutMillis: s.connectionTimeoutMs ?? 10000,
      ...(s.schema ? { options: `-c search_path=${s.schema}` } : {}),
    },
  };
}
