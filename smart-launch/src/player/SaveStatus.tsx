import type { SaveState } from './use-draft';

/** Tells, politely, whether the answers are safe on the server; an error says what to do. */
export function SaveStatus({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saving'
      ? 'Saving…'
      : state.kind === 'saved'
        ? `Answers saved at ${state.at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`
        : state.kind === 'error'
          ? `Not saved yet: ${state.message} Your answers are still on this screen; the next step tries again.`
          : '';
  return (
    <p class={`save-status ${state.kind}`} role="status">
      {text}
    </p>
  );
}
