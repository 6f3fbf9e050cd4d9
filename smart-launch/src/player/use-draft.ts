import type { Questionnaire, QuestionnaireResponse, Reference } from 'fhir/r4';
import { useRef, useState } from 'preact/hooks';
import type { AnswerMode } from './answer-mode';
import type { Answers } from './model';
import { answered } from './response';

// Server-side drafts: every save sends the whole in-progress response and keeps what the server answered
// (its id and version), so the next save updates the same draft. Saves run one after another.

export interface ResponseStore {
  /** Stores an in-progress response (creates it when it has no id) and answers the stored version. */
  save(qr: QuestionnaireResponse): Promise<QuestionnaireResponse>;
  /** Submits a completed response; rejects with an ApiError carrying per-item issues. */
  submit(qr: QuestionnaireResponse): Promise<QuestionnaireResponse>;
  /**
   * The draft's latest saved version, read again after it was saved elsewhere; the next save replaces that version
   * (its meta.versionId). Without it (a preview), the conflict cannot happen.
   */
  latest?(id: string): Promise<QuestionnaireResponse>;
}

/** How a save went: saved, or the error it was refused with. */
export type SaveOutcome = { ok: true } | { ok: false; error: unknown };

/** A failed save keeps what failed: SaveStatus says it in the person's words and language (lib/patient-problems.ts). */
export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'error'; error: unknown };

export function useDraft(q: Questionnaire, store: ResponseStore, initial: QuestionnaireResponse | undefined, subject?: Reference) {
  const saved = useRef<QuestionnaireResponse | undefined>(initial);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const [state, setState] = useState<SaveState>({ kind: 'idle' });

  const build = (answers: Answers, mode: AnswerMode | undefined, status: 'in-progress' | 'completed') =>
    answered(q, answers, status, { id: saved.current?.id, subject: saved.current?.subject ?? subject, mode, base: saved.current }).response;

  const attempt = (answers: Answers, mode: AnswerMode | undefined, basedOn?: QuestionnaireResponse): Promise<SaveOutcome> => {
    const run = chain.current.then(async (): Promise<SaveOutcome> => {
      if (basedOn) saved.current = basedOn;
      setState({ kind: 'saving' });
      try {
        saved.current = await store.save(build(answers, mode, 'in-progress'));
        setState({ kind: 'saved', at: new Date() });
        return { ok: true };
      } catch (e) {
        setState({ kind: 'error', error: e });
        return { ok: false, error: e };
      }
    });
    chain.current = run;
    return run;
  };
  const save = (answers: Answers, mode: AnswerMode | undefined): Promise<boolean> => attempt(answers, mode).then((o) => o.ok);
  /**
   * Saved elsewhere meanwhile: go on from `latest` (the draft's latest saved version, read again) and save `answers`
   * onto it, as any save — the server runs its safety rules on them and answers with any crisis information.
   */
  const saveOnto = (latest: QuestionnaireResponse, answers: Answers, mode: AnswerMode | undefined): Promise<SaveOutcome> => attempt(answers, mode, latest);

  const submit = async (answers: Answers, mode: AnswerMode | undefined): Promise<QuestionnaireResponse> => {
    await chain.current;
    const done = await store.submit(build(answers, mode, 'completed'));
    saved.current = done;
    return done;
  };

  return { save, saveOnto, submit, state, current: () => saved.current };
}
