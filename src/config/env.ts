import { z } from 'zod';
import { ConfigError } from './config-error.js';

/**
 * Parses one environment variable with a zod schema and turns a failure into a ConfigError that names
 * the variable and what it expects. Values are never echoed: they may be secrets.
 */
export function readEnv<T>(
  env: NodeJS.ProcessEnv,
  name: string,
  schema: z.ZodType<T>,
  expected: string,
): T {
  const raw = env[name];
  const result = schema.safeParse(raw === '' ? undefined : raw);
  if (!result.success) throw new ConfigError(name, `must be ${expected}`);
  return result.data;
}

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const httpUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v))
  .transform((v) => v.replace(/\/+$/, ''));

/** A comma-separated list; empty means none. */
export const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
