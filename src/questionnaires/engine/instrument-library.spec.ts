import { describe, expect, it } from '@jest/globals';
import { compareVersions } from './canonical.js';
import { InstrumentLibrary } from './instrument-library.js';
import { phq9 } from './instruments/phq9.js';

const PHQ9_URL = 'https://als-wellness.example.org/fhir/Questionnaire/phq-9';
const version = (v: string) => ({ ...phq9, questionnaire: { ...phq9.questionnaire, version: v } });

describe('InstrumentLibrary', () => {
  it('lists the eight built-in instruments by canonical', () => {
    expect(new InstrumentLibrary().list().map((s) => s.canonical)).toEqual([
      `${PHQ9_URL}|1.0.0`,
      'https://als-wellness.example.org/fhir/Questionnaire/gad-7|1.0.0',
      'https://als-wellness.example.org/fhir/Questionnaire/who-5|1.0.0',
      'https://als-wellness.example.org/fhir/Questionnaire/scs-sf|1.0.0',
      'https://als-wellness.example.org/fhir/Questionnaire/program-satisfaction|1.0.0',
      'https://als-wellness.example.org/fhir/Questionnaire/session-check-in|1.0.0',
      'https://als-wellness.example.org/fhir/Questionnaire/scs-26|1.0.0',
      'https://als-wellness.example.org/fhir/Questionnaire/music-therapy-log|1.0.0',
    ]);
  });

  it('finds by url|version exactly, and a bare url to its highest version', () => {
    const library = new InstrumentLibrary([phq9, version('1.10.0'), version('1.9.2')]);
    expect(library.find(`${PHQ9_URL}|1.0.0`)).toBe(phq9);
    expect(library.find(`${PHQ9_URL}|2.0.0`)).toBeUndefined();
    expect(library.find(PHQ9_URL)?.questionnaire.version).toBe('1.10.0');
    expect(library.find('https://elsewhere.example.org/Questionnaire/x')).toBeUndefined();
  });

  it('refuses to register a version twice or a form without url and version', () => {
    const library = new InstrumentLibrary();
    expect(() => library.register(phq9)).toThrow('already registered');
    expect(() => library.register({ ...phq9, questionnaire: { ...phq9.questionnaire, version: undefined } })).toThrow('url');
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBe(1);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
    expect(compareVersions('1.0.0', '2')).toBe(-1);
  });
});
