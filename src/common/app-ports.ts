import type { INestApplicationContext } from '@nestjs/common';

/*
 * What a module mounted only in some deployments (the sandbox EHR) contributes to the frame around the routes,
 * without main.ts or app.setup.ts importing it: it provides these tokens, the frame looks them up.
 */

/** One line for the person who started the service, printed by main.ts once it listens. */
export const READY_NOTICE = Symbol('READY_NOTICE');
export type ReadyNotice = (publicUrl: string) => string;

/** Paths that take OAuth-style form posts (every other body must be JSON): a `string[]`. */
export const FORM_POST_PATHS = Symbol('FORM_POST_PATHS');

/** The value a mounted module provides for `token`, or undefined when none does. */
export function contributed<T>(app: INestApplicationContext, token: symbol): T | undefined {
  try {
    return app.get<T>(token, { strict: false });
  } catch {
    return undefined;
  }
}
