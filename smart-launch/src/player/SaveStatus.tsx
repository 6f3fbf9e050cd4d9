import type { SaveState } from './use-draft';
import { useContext } from 'preact/hooks';
import { LangCtx, useT } from '../lib/i18n';
import { patientProblem } from '../lib/patient-problems';

/** Tells, politely, whether the answers are safe on the server; an error says what to do. */
export function SaveStatus({ state }: { state: SaveState }) {
  const t = useT();
  // The time as the person's language writes it ("a las 14:05" in Spanish), not the browser's locale.
  const lang = useContext(LangCtx);
  const text =
    state.kind === 'saving'
      ? t('Saving…')
      : state.kind === 'saved'
        ? t('Answers saved at {time}.', { time: state.at.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }) })
        : state.kind === 'error'
          ? t('Not saved yet: {message} Your answers are still on this screen; the next step tries again.', { message: patientProblem(state.error, t, t('The answers could not be saved.')) })
          : '';
  return (
    <p class={`save-status ${state.kind}`} role="status">
      {text}
    </p>
  );
}
