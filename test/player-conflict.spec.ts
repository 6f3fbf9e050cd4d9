import { describe, expect, it } from '@jest/globals';
import type { Questionnaire, QuestionnaireResponse } from 'fhir/r4.js';
import { answeredResponse } from '../src/questionnaires/engine/answered-response.js';

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

describe('player: what this screen would save, for the conflict', () => {
  it('leaves out an answer to a question since switched off, so it is neither unsaved nor put back', () => {
    // The player's `answered()` is the engine's answeredResponse over the non-empty answers; its `answersOf()` reads
    // the response's answers back (flat here: no groups). Imported from the engine, as jest cannot load the app's
    // aliased modules.
    const answersOf = (qr: QuestionnaireResponse): Answers =>
      Object.fromEntries((qr.item ?? []).filter((i) => i.answer?.length).map((i) => [i.linkId, i.answer as Answer[]]));
    const answered = (questionnaire: Questionnaire, answers: Answers) => answeredResponse(questionnaire, answers as never, {});
    const q: Questionnaire = {
      resourceType: 'Questionnaire',
      status: 'active',
      url: 'https://example.org/Questionnaire/conflict-test',
      item: [
        { linkId: 'smokes', type: 'boolean', text: 'Do you smoke?' },
        { linkId: 'how-many', type: 'integer', text: 'How many a day?', enableWhen: [{ question: 'smokes', operator: '=', answerBoolean: true }] },
      ],
    };
    // Answered 10, then "no": the 10 stays in the screen's state but the question is no longer asked.
    const state = { smokes: [{ valueBoolean: false }], 'how-many': [{ valueInteger: 10 }] } as unknown as Answers;
    const onScreen = answersOf(answered(q, state).response);
    expect(Object.keys(onScreen)).toEqual(['smokes']);
    const lastSaved = { smokes: [{ valueBoolean: false }] } as unknown as Answers;
    expect(unsavedChanges(onScreen, lastSaved)).toEqual([]);
    // The other screen said yes, 20: keeping this screen's (unchanged) answers keeps the other screen's 20.
    const latest = { smokes: [{ valueBoolean: true }], 'how-many': [{ valueInteger: 20 }] } as unknown as Answers;
    expect(keepMine(onScreen, lastSaved, latest)).toEqual(latest);
    // Compared as the raw state, the stale 10 would have been written over the 20.
    expect(keepMine(state, lastSaved, latest)['how-many']).toEqual([{ valueInteger: 10 }]);
  });
});
