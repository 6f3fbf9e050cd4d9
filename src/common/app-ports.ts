import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/*
 * What a module mounted only in some deployments (the sandbox EHR) contributes to the frame around the routes,
 * without main.ts or app.setup.ts importing it: it provides these tokens, the frame looks them up.
 */

/** One line for the person who started the service, printed by main.ts once it listens. */
export const READY_NOTICE = Symbol('READY_NOTICE');
export type ReadyNotice = (publicUrl: string) => string;

/** Paths that take OAuth-style form posts (every other body must be JSON): a `string[]`. */
export const FORM_POST_PATHS = Symbol('FORM_POST_PATHS');

/**
 * The value a mounted module provides for `token`, or undefined when none does. Asked of the module graph first:
 * `app.get` of a token nobody provides throws, and the application Nest created wraps each call so that the throw
 * is logged as an ERROR before any catch here sees it (two ERROR lines at every start beside a real EHR, where the
 * sandbox is not mounted).
 */
export function contributed<T>(app: INestApplicationContext, token: symbol): T | undefined {
  const provided = [...app.get(ModulesContainer).values()].some((m) => m.providers.has(token));
  return provided ? app.get<T>(token, { strict: false }) : undefined;
}
