import type { SaveState } from './use-draft';
import { useContext } from 'preact/hooks';
import { LangCtx, useT } from '../lib/i18n';
import { isRetryable, isVersionConflict, patientProblem } from '../lib/patient-problems';

/**
 * Tells, politely, whether the answers are safe on the server; an error says truthfully what happens next: only a
 * failure the next save may get past (no connection, the service busy or down) is "tried again at the next step";
 * a refusal says what the person can do, and a draft saved elsewhere has its own notice (SavedElsewhere.tsx).
 */
export function SaveStatus({ state }: { state: SaveState }) {
  const t = useT();
  // The time as the person's language writes it ("a las 14:05" in Spanish), not the browser's locale.
  const lang = useContext(LangCtx);
  const problem = (e: unknown) => patientProblem(e, t, t('The answers could not be saved. Please reload the page to go on.'));
  const text =
    state.kind === 'saving'
      ? t('Saving…')
      : state.kind === 'saved'
        ? t('Answers saved at {time}.', { time: state.at.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }) })
        : state.kind !== 'error'
          ? ''
          : isVersionConflict(state.error)
            ? t('Not saved: {message}', { message: problem(state.error) })
            : isRetryable(state.error)
              ? t('Not saved yet: {message} Your answers are still on this screen; the next step tries again.', { message: problem(state.error) })
              : t('Not saved: {message} The answers saved before this one are kept.', { message: problem(state.error) });
  return (
    <p class={`save-status ${state.kind}`} role="status">
      {text}
    </p>
  );
}
