import { describe, expect, it } from '@jest/globals';

// The player's pure side of a draft saved on another screen (smart-launch/src/player/conflict.ts): which answers on
// this screen were never saved, and what "Keep my answers" saves onto the latest version. Loaded as jest loads the
// browser app's modules (see test/patient-problems.spec.ts), so its shape is named here.
type Answer = { valueCoding?: { system?: string; code?: string; display?: string }; valueInteger?: number; valueString?: string };
type Answers = Record<string, Answer[]>;
interface Conflict {
  unsavedChanges(onScreen: Answers, lastSaved: Answers): string[];
  keepMine(onScreen: Answers, lastSaved: Answers, latest: Answers): Answers;
}
const browserModule = (path: string): Promise<unknown> => import(path);
const { unsavedChanges, keepMine } = (await browserModule('../smart-launch/src/player/conflict.js')) as Conflict;

const LOINC = 'http://loinc.org';
const notAtAll = [{ valueCoding: { system: LOINC, code: 'LA6568-5', display: 'Not at all' } }];
const severalDays = [{ valueCoding: { system: LOINC, code: 'LA6569-3', display: 'Several days' } }];

describe('player: answers kept through a save conflict', () => {
  it('finds answers given, changed or cleared on this screen since it last saved, a coding by system and code only', () => {
    const lastSaved: Answers = { 'phq9-1': notAtAll, 'phq9-2': notAtAll, 'phq9-3': severalDays };
    // The stored coding without its display: not a change.
    const onScreen: Answers = { 'phq9-1': [{ valueCoding: { system: LOINC, code: 'LA6568-5' } }], 'phq9-2': severalDays, 'phq9-3': [], 'phq9-9': severalDays };
    expect(unsavedChanges(onScreen, lastSaved).sort()).toEqual(['phq9-2', 'phq9-3', 'phq9-9']);
    expect(unsavedChanges(lastSaved, lastSaved)).toEqual([]);
    expect(unsavedChanges({ note: [{ valueString: 'a' }] }, { note: [{ valueInteger: 1 }] })).toEqual(['note']);
  });

  it('keeps a crisis answer given here over the other screen’s, and the other screen’s answers to what was not changed here', () => {
    const lastSaved: Answers = { 'phq9-1': notAtAll, 'phq9-2': notAtAll };
    const onScreen: Answers = { 'phq9-1': notAtAll, 'phq9-2': [], 'phq9-9': severalDays };
    const latest: Answers = { 'phq9-1': severalDays, 'phq9-2': notAtAll, 'phq9-9': notAtAll };
    expect(keepMine(onScreen, lastSaved, latest)).toEqual({ 'phq9-1': severalDays, 'phq9-2': [], 'phq9-9': severalDays });
  });
});
