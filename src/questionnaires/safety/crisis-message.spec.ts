import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CRISIS_MESSAGE, DEFAULT_CRISIS_MESSAGE_ES } from '../../config/safety.config.js';
import { crisisMessageFor, crisisMessagesOf } from './crisis-message.js';

describe('the crisis text for a response’s language', () => {
  const defaults = { crisisMessage: DEFAULT_CRISIS_MESSAGE, crisisMessageEs: DEFAULT_CRISIS_MESSAGE_ES };

  it.each(['es', 'es-US', 'ES-mx', 'es-419'])('is Spanish for %s', (language) => {
    expect(crisisMessageFor(defaults, language)).toEqual({ text: DEFAULT_CRISIS_MESSAGE_ES, language: 'es' });
  });

  it.each(['en', 'en-GB', 'fr-CA', 'est', '', null, undefined])('is English for %p (no text in that language)', (language) => {
    expect(crisisMessageFor(defaults, language)).toEqual({ text: DEFAULT_CRISIS_MESSAGE, language: 'en' });
  });

  it('is the clinic’s English text, marked English, for Spanish when the clinic wrote no Spanish one', () => {
    const own = { crisisMessage: 'Call the clinic on 0000 000 000 now.', crisisMessageEs: null };
    expect(crisisMessageFor(own, 'es-US')).toEqual({ text: own.crisisMessage, language: 'en' });
  });

  it('offers every text the clinic has, English first, for a screen to pick its reader’s language', () => {
    expect(crisisMessagesOf(defaults)).toEqual([
      { text: DEFAULT_CRISIS_MESSAGE, language: 'en' },
      { text: DEFAULT_CRISIS_MESSAGE_ES, language: 'es' },
    ]);
    const own = { crisisMessage: 'Call the clinic on 0000 000 000 now.', crisisMessageEs: null };
    expect(crisisMessagesOf(own)).toEqual([{ text: own.crisisMessage, language: 'en' }]);
  });
});
