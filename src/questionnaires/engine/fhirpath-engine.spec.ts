import { describe, expect, it, jest } from '@jest/globals';
import type { Questionnaire } from 'fhir/r4.js';
import { checkExpression, compileExpression, evaluateOnResponse, isTrue } from './fhirpath-engine.js';
import { phq9 } from './instruments/phq9.js';
import { buildResponse } from './response-builder.js';

const form: Questionnaire = phq9.questionnaire;

describe('fhirpath engine', () => {
  it('compiles each expression once', () => {
    expect(compileExpression('1 + 1')).toBe(compileExpression('1 + 1'));
  });

  it('gives weight() the Questionnaire through %questionnaire', () => {
    const qr = buildResponse(phq9, { 'phq9-1': 2, 'phq9-2': 3 });
    expect(evaluateOnResponse("%resource.item.answer.value.weight().sum()", qr, form)).toEqual([5]);
  });

  it('treats only a single true as true', () => {
    expect([isTrue([true]), isTrue([]), isTrue([false]), isTrue([true, true]), isTrue(['true'])]).toEqual([true, false, false, false, false]);
  });

  it.each([
    ['a syntax error', "item.where(linkId = 'x'"],
    ['an unknown function, even where an empty input never calls it', "%resource.item.where(linkId.nosuch() = 'x').count()"],
    ['an unknown variable', '%nothere'],
  ])('rejects %s', (_case, expression) => {
    expect(checkExpression(expression, form)).toEqual(expect.any(String));
  });

  it('accepts a valid expression', () => {
    expect(checkExpression("%resource.repeat(item).where(linkId in ('a' | 'b')).answer.value.weight().sum() > 2", form)).toBeUndefined();
  });

  it('names the unknown functions called, and only those (not words in strings, comments or operators before a parenthesis)', () => {
    expect(checkExpression("%resource.answers().value.ordinal().sum() + iif(true and (1 > 0), 1, 0).nosuch( 'a,b', (1 | 2) )", form))
      .toBe('Unknown FHIRPath function(s): answers, nosuch');
    expect(checkExpression("'answers()' + `nosuch(`.toString() // unknown(\n + 'x' /* other() */", form)).toBeUndefined();
    expect(checkExpression("iif(1 mod (2) = 1 or (true) xor (false) implies (true), 'odd', 'even')", form)).toBeUndefined();
  });

  it('takes a delimited name before a parenthesis as a call: `x`() calls x', () => {
    expect(checkExpression('iif(%resource.item.exists(), 1.`frobnicate`(), 0)', form)).toBe('Unknown FHIRPath function(s): frobnicate');
    expect(checkExpression('{}.`no such/thing` ( 1, 2 )', form)).toBe('Unknown FHIRPath function(s): no such/thing');
    expect(checkExpression("%resource.item.`where`(linkId = 'x').`exists`() and `exists`()", form)).toBeUndefined();
    expect(checkExpression('%resource.`item`.count() + `nosuch`.count()', form)).toBeUndefined();
  });

  it('counts a string argument as an argument: combine(\'b\') is probed with one, fhirpath.js has no arity to warn about', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(checkExpression("'a'.combine('b').exclude(`c`) contains %resource.id", form)).toBeUndefined();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
