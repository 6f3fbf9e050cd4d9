import type { Questionnaire, QuestionnaireResponse } from 'fhir/r4.js';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { BoundedMap } from './bounded-map.js';

// The one place that runs FHIRPath. Expressions are compiled once and cached by text: scoring runs
// for very many responses against a handful of distinct expressions.

type Compiled = (resource: unknown, env?: Record<string, unknown>) => unknown[];

/**
 * The longest expression a clinic's form may carry. The built-ins' longest is a few hundred characters; fhirpath.js
 * parses in time that grows faster than the length (80 000 characters of `1 + 1 + …` held the thread for 9 s
 * before it overflowed the stack).
 */
export const MAX_EXPRESSION_LENGTH = 4000;

/** A FHIRPath compile or evaluation ran out of the time the guard gives it (see setFhirPathGuard). */
export class FhirPathBudgetExceeded extends Error {
  override readonly name = 'FhirPathBudgetExceeded';
}

/** Runs one compile or evaluation; it may stop it by throwing FhirPathBudgetExceeded. */
export type FhirPathGuard = <T>(run: () => T) => T;

// In the browser (the player shares this engine) nothing guards: a costly form can only slow the person's own tab.
// The server installs a deadline (questionnaires/definitions/fhirpath-deadline.ts): one expression of a clinic's form
// can otherwise hold the service's only thread for seconds and grow its heap by gigabytes
// (`%resource.item.answer.value.aggregate($total.combine($total).combine($total), 'x')` over 17 answers: 7 s, 2.5 GB).
let guard: FhirPathGuard = (run) => run();

export function setFhirPathGuard(next: FhirPathGuard | undefined): void {
  guard = next ?? ((run) => run());
}

/** Bound so that clinic-imported expressions cannot grow the cache without limit. */
export const MAX_CACHED_EXPRESSIONS = 2000;
const cache = new BoundedMap<string, Compiled>(MAX_CACHED_EXPRESSIONS);

/** Tests: a smaller cache, to see what eviction does without compiling 2 000 expressions; undefined restores it. */
export function resizeCompileCache(limit: number | undefined): void {
  cache.resize(limit ?? MAX_CACHED_EXPRESSIONS);
}

/**
 * Per form (its Questionnaire object, which the library keeps one of per version): the expressions it has compiled,
 * kept as long as the form is and never dropped for other forms' — the shared cache above is bounded and first in,
 * first out, and a save must not compile inside its own budget what precompile.ts compiled for it before.
 * Bounded by the form itself: only its own expressions and the variables' context paths are evaluated against it.
 */
const byForm = new WeakMap<Questionnaire, Map<string, Compiled>>();

/** Compiles `expression` for `questionnaire` (or returns what it compiled before); throws on a syntax error. */
export function compileForForm(expression: string, questionnaire: Questionnaire): Compiled {
  let own = byForm.get(questionnaire);
  let compiled = own?.get(expression);
  if (!compiled) {
    compiled = compileExpression(expression);
    if (!own) byForm.set(questionnaire, (own = new Map()));
    own.set(expression, compiled);
  }
  return compiled;
}

/** Compiles (or returns the cached) expression; throws on a syntax error. */
export function compileExpression(expression: string): Compiled {
  let compiled = cache.get(expression);
  if (!compiled) {
    if (expression.length > MAX_EXPRESSION_LENGTH) throw new Error(`The expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
    compiled = guard(() => fhirpath.compile(expression, r4, { async: false }) as Compiled);
    cache.set(expression, compiled);
  }
  return compiled;
}

/**
 * Evaluates `expression` with the response as context (or `context`, a node of it), `%resource` = the response,
 * `%questionnaire` = the form and the form's `variables` (variables.ts): weight() finds each answer's answerOption weight through it.
 * Synchronous: weights must be on the answerOptions or in contained resources (no terminology server).
 */
export function evaluateOnResponse(
  expression: string,
  response: QuestionnaireResponse,
  questionnaire: Questionnaire,
  variables: Record<string, unknown> = {},
  context: unknown = response,
): unknown[] {
  const compiled = compileForForm(expression, questionnaire);
  // The form's own variables (SDC `variable`) first: %resource and %questionnaire are never theirs to change.
  return guard(() => compiled(context, { ...variables, resource: response, questionnaire }));
}

/** A boolean expression holds only when it yields exactly `true` (empty counts as false). */
export function isTrue(result: unknown[]): boolean {
  return result.length === 1 && result[0] === true;
}

/** Operators spelled as words: `a and (b)` is no call of `and`. */
const WORD_OPERATORS = new Set(['and', 'or', 'xor', 'implies', 'in', 'div', 'mod']);

/**
 * `name/arity` of every function the expression calls: each identifier followed by `(`, outside string literals,
 * delimited identifiers and comments, with its top-level arguments counted (a string is one). Read from the text,
 * not from a second parse: fhirpath.js parses a long expression in milliseconds to tens of them (HL7 SDC's
 * Framingham form has fifteen; an import's checks share one budget, IMPORT_BUDGET_FACTOR save budgets), and compile
 * has parsed it once already.
 */
function functionCalls(expression: string): Set<string> {
  // A delimited identifier before `(` names a function (`` `x`() `` calls x): it becomes `$n`, n its place in
  // `delimited`. Any other string or delimited identifier stays an operand (0: `combine('x')` has one argument); a
  // comment is blank.
  const delimited: string[] = [];
  const code = expression.replace(/`((?:[^`\\]|\\.)*)`(?=\s*\()|('(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
    (_, called?: string, literal?: string) => (called !== undefined ? ` $${delimited.push(called.replace(/\\(.)/g, '$1')) - 1}` : literal ? ' 0 ' : ' '));
  const calls = new Set<string>();
  for (const m of code.matchAll(/(\$\d+|[A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
    if (WORD_OPERATORS.has(m[1])) continue;
    const name = m[1].startsWith('$') ? delimited[Number(m[1].slice(1))] : m[1];
    let depth = 0;
    let commas = 0;
    let empty = true;
    for (let i = m.index + m[0].length; i < code.length; i++) {
      const c = code[i];
      if (c === '(') depth++;
      else if (c === ')' && depth-- === 0) break;
      else if (c === ',' && depth === 0) commas++;
      if (!/\s/.test(c)) empty = false;
    }
    calls.add(`${name}/${empty ? 0 : commas + 1}`);
  }
  return calls;
}

const knownCalls = new Map<string, boolean>();

/** `name/arity` apart (a delimited name may hold a slash). */
function splitCall(call: string): { name: string; arity: number } {
  const at = call.lastIndexOf('/');
  return { name: call.slice(0, at), arity: Number(call.slice(at + 1)) };
}

/**
 * fhirpath.js looks functions up only when it calls them and does not export its function table:
 * probe each name once on an empty input with as many (empty) arguments as the expression passes.
 */
function isKnownFunction(call: string): boolean {
  let known = knownCalls.get(call);
  if (known === undefined) {
    const { name, arity } = splitCall(call);
    try {
      // Delimited: a name written `x` is x to fhirpath.js, and any text a delimited name may hold stays one name.
      fhirpath.evaluate({}, `{}.\`${name.replace(/[`\\]/g, '\\$&')}\`(${Array(arity).fill('{}').join(', ')})`, {}, r4);
      known = true;
    } catch (err) {
      known = !(err instanceof Error && err.message.startsWith('Not implemented'));
    }
    knownCalls.set(call, known);
  }
  return known;
}

/**
 * Message of the first problem with an expression, or undefined when it is usable: it must parse,
 * call only known functions, and survive a dry run on an empty response (unknown %variables, but for `variables`).
 */
export function checkExpression(expression: string, questionnaire: Questionnaire, variables: readonly string[] = []): string | undefined {
  const empty: QuestionnaireResponse = { resourceType: 'QuestionnaireResponse', status: 'in-progress', item: [] };
  try {
    const compiled = compileExpression(expression);
    const unknown = [...functionCalls(expression)].filter((c) => !isKnownFunction(c));
    if (unknown.length > 0) return `Unknown FHIRPath function(s): ${[...new Set(unknown.map((c) => splitCall(c).name))].join(', ')}`;
    // Launch contexts and variables (pre-population) are empty in the dry run.
    guard(() => compiled(empty, { ...Object.fromEntries(variables.map((v) => [v, []])), resource: empty, questionnaire }));
    return undefined;
  } catch (err) {
    if (err instanceof FhirPathBudgetExceeded) throw err; // the whole import is refused as too costly
    return err instanceof Error ? err.message : String(err);
  }
}
