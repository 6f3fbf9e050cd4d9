import type { Questionnaire, QuestionnaireResponse, Reference } from 'fhir/r4';
import type { ComponentChildren } from 'preact';
import { useT } from '../lib/i18n';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { modeOf, type AnswerMode } from './answer-mode';
import { ConfirmSubmit } from './ConfirmSubmit';
import { questionsOf, type Answer, type Answers } from './model';
import { QuestionStep } from './QuestionStep';
import { answered, answersOf, enabledQuestions } from './response';
import { Review } from './Review';
import { isVersionConflict, patientProblem } from '../lib/patient-problems';
import { keepMine, unsavedChanges } from './conflict';
import { SafetyMessage, type CrisisText } from './SafetyMessage';
import { SavedElsewhere } from './SavedElsewhere';
import { SaveStatus } from './SaveStatus';
import { serverProblems } from './server-problems';
import { SettingsPanel } from './SettingsPanel';
import { useSettings } from './settings';
import { useDraft, type ResponseStore } from './use-draft';
import { usePageAssist } from './use-page-assist';
import { checkAnswer } from './validate';
import { WhoAnswering } from './WhoAnswering';

/**
 * Renders any SDC Questionnaire one question per screen for people with limited motor function:
 * keyboard, single-switch scanning or dwell, saved as a server-side draft at every step, reviewed, confirmed,
 * then submitted. No time limits anywhere: scanning and dwell only pace the highlight, never the person.
 */
export interface PlayerProps {
  questionnaire: Questionnaire;
  /** A saved draft to resume. */
  initial?: QuestionnaireResponse;
  subject?: Reference;
  /** How the subject is named in "Who is answering the questions about …?". */
  subjectLabel: string;
  store: ResponseStore;
  /** Who may be answering, for this user and subject; with one only, the question is not asked. */
  modes: readonly AnswerMode[];
  onDone(qr: QuestionnaireResponse): void;
  onSavedForLater(qr: QuestionnaireResponse | undefined): void;
  /** Crisis information the server answered a save with, shown on every screen until dismissed. */
  safetyMessage?: CrisisText | null;
  onDismissSafety?(): void;
  /** Shown in the player's bar (the language switch). */
  bar?: ComponentChildren;
  /**
   * The draft `id` was saved elsewhere after this screen read it: open its latest saved version instead (the page
   * reads it again and starts the player on it). Without it (a preview), the conflict cannot happen.
   */
  onOpenLatest?(id: string): void;
}

type Step = 'who' | 'question' | 'review' | 'confirm';

export function Player(p: PlayerProps) {
  const t = useT();
  const [settings, updateSettings] = useSettings();
  const questions = useMemo(() => questionsOf(p.questionnaire), [p.questionnaire]);
  const [answers, setAnswers] = useState<Answers>(() => answersOf(p.initial));
  const [mode, setMode] = useState<AnswerMode | undefined>(() => modeOf(p.initial) ?? (p.modes.length === 1 ? p.modes[0] : undefined));
  // Which questions are asked is the engine's decision on the response these answers make, as the server's.
  const enabled = useMemo(() => enabledQuestions(p.questionnaire, questions, answers), [p.questionnaire, questions, answers]);
  const firstOpen = () => {
    const i = enabled.findIndex((q) => !answers[q.linkId]?.length);
    return i < 0 ? enabled.length : i;
  };
  const [step, setStep] = useState<Step>(() => (!mode ? 'who' : firstOpen() >= enabled.length ? 'review' : 'question'));
  const [index, setIndex] = useState(() => Math.min(firstOpen(), Math.max(0, enabled.length - 1)));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [backToReview, setBackToReview] = useState(false);
  const draft = useDraft(p.questionnaire, p.store, p.initial, p.subject);
  // Saved elsewhere meanwhile (a save's or the submission's refusal): nothing more can be saved from this screen.
  // It stays (every later save from here is refused the same way) until "Keep my answers" saves onto the latest version.
  const [savedElsewhere, setSavedElsewhere] = useState(false);
  useEffect(() => {
    if (draft.state.kind === 'error' && isVersionConflict(draft.state.error)) setSavedElsewhere(true);
  }, [draft.state]);
  const draftId = draft.current()?.id;
  const conflict = savedElsewhere && !!p.onOpenLatest && !!draftId;
  // "Open the latest saved answers" with answers here that were not saved: asked first (SavedElsewhere).
  const [confirmingOpen, setConfirmingOpen] = useState(false);
  const [keepProblem, setKeepProblem] = useState<string | undefined>();
  const root = useRef<HTMLDivElement>(null);
  // Scanning starts again on every new screen, and when crisis information or the conflict (or its confirmation) appears (their buttons come first).
  const screen = `${step}:${index}:${p.safetyMessage ? 'safety' : ''}:${conflict ? (confirmingOpen ? 'confirm-open' : 'conflict') : ''}`;
  // Over the whole page, as on the pages around the player: the header's "Sign out" is a target too.
  usePageAssist(settings, true, screen);
  const assisted = settings.input !== 'standard';

  const question = enabled[Math.min(index, enabled.length - 1)];
  const isLast = index >= enabled.length - 1;

  const advance = (current: Answers) => {
    const q = enabled[index];
    const problem = checkAnswer(q, current[q.linkId] ?? [], t);
    if (problem) return setErrors({ ...errors, [q.linkId]: problem });
    void draft.save(current, mode);
    const nowEnabled = enabledQuestions(p.questionnaire, questions, current);
    const pos = nowEnabled.findIndex((x) => x.linkId === q.linkId);
    if (backToReview || pos >= nowEnabled.length - 1) {
      setBackToReview(false);
      setStep('review');
    } else setIndex(pos + 1);
  };

  const change = (value: Answer[]) => {
    const next = { ...answers, [question.linkId]: value };
    setAnswers(next);
    setErrors(({ [question.linkId]: _gone, ...rest }) => rest);
    // Scan and dwell users go on as soon as a single choice is made; a keyboard user presses Next. Choosing the answer
    // already given does the same: on a question they came back to, a switch user's press on their answer says "this
    // one" (otherwise they would wait for the highlight to pass every tile to reach Next).
    const single = !!question.item.answerOption || ['boolean', 'integer'].includes(question.item.type);
    if (assisted && single && !question.item.repeats && value.length) window.setTimeout(() => advance(next), 500);
  };

  const sending = useRef(false);
  const submit = async () => {
    if (sending.current) return; // a second click before the button shows "Sending…"
    sending.current = true;
    setSubmitting(true);
    setGeneral([]);
    try {
      p.onDone(await draft.submit(answers, mode));
    } catch (e) {
      setStep('review');
      // Saved elsewhere: said once, with the way on, above the form (SavedElsewhere), not as a problem to fix here.
      if (isVersionConflict(e) && p.onOpenLatest) {
        setSavedElsewhere(true);
        setErrors({});
        setGeneral([]);
        return;
      }
      // The server's refusal in the person's words and language, at the questions it names (server-problems.ts).
      const problems = serverProblems(e, questions, answers, t);
      setErrors(problems.byLink);
      setGeneral(problems.general);
    } finally {
      sending.current = false;
      setSubmitting(false);
    }
  };

  // The answers this screen would save: those to questions still asked (an answer to a question since switched off
  // stays in state but is never saved, so it is neither unsaved nor put back onto the latest version).
  const onScreen = () => answersOf(answered(p.questionnaire, answers).response);
  const unsaved = () => unsavedChanges(onScreen(), answersOf(draft.current()));
  const openLatest = () => (unsaved().length ? setConfirmingOpen(true) : p.onOpenLatest?.(draftId!));

  // "Keep my answers": the latest saved version read again, the answers given here put back on it (conflict.ts) and
  // saved onto it like any save — the server's safety rules run, and any crisis information shows as usual.
  const keeping = useRef(false);
  // The notice gone with the focused button in it: keyboard and screen-reader users land on the screen's heading,
  // unless crisis information took focus meanwhile.
  const refocus = useRef(false);
  useEffect(() => {
    if (conflict || !refocus.current) return;
    refocus.current = false;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (!assisted && lost) root.current?.querySelector<HTMLElement>('h1[tabindex], h2[tabindex]')?.focus();
  }, [conflict]);
  const keep = async () => {
    if (keeping.current || !p.store.latest || !draftId) return;
    keeping.current = true;
    setKeepProblem(undefined);
    try {
      const latest = await p.store.latest(draftId);
      // Sent from the other screen meanwhile: a draft saved onto it would be refused (or, submitted, amend what was
      // sent). Nothing is saved; the notice stays with "Open the latest saved answers" and says why.
      if (latest.status !== 'in-progress') {
        setKeepProblem(t('These answers were already sent from another screen. Open the latest saved answers to see them.'));
        return;
      }
      const mine = keepMine(onScreen(), answersOf(draft.current()), answersOf(latest));
      setAnswers(mine);
      const outcome = await draft.saveOnto(latest, mine, mode);
      // Saved: the notice goes. Refused (saved elsewhere yet again, or for another reason, which SaveStatus says):
      // the notice stays, and keeping again reads the newest version.
      if (outcome.ok) {
        refocus.current = true;
        setSavedElsewhere(false);
        setConfirmingOpen(false);
      }
    } catch (e) {
      setKeepProblem(patientProblem(e, t, t('The latest saved answers could not be opened.')));
    } finally {
      keeping.current = false;
    }
  };

  const saveLater = async () => {
    if (await draft.save(answers, mode)) p.onSavedForLater(draft.current());
  };

  return (
    <div class={`player input-${settings.input}`} ref={root}>
      {p.safetyMessage && <SafetyMessage message={p.safetyMessage} takeFocus={!assisted} onDismiss={() => p.onDismissSafety?.()} />}
      {conflict && (
        <SavedElsewhere
          takeFocus={!assisted && !p.safetyMessage}
          mayFocus={!assisted}
          confirming={confirmingOpen}
          problem={keepProblem}
          onKeep={keep}
          onOpenLatest={openLatest}
          onConfirmOpen={() => p.onOpenLatest?.(draftId!)}
          onCancelOpen={() => setConfirmingOpen(false)}
        />
      )}
      <div class="player-bar">
        <SaveStatus state={draft.state} />
        <SettingsPanel settings={settings} update={updateSettings} />
        {p.bar}
      </div>
      {step === 'who' && (
        <WhoAnswering subject={p.subjectLabel} initial={mode} modes={p.modes} auto={assisted} onChoose={(m) => (setMode(m), setStep(enabled.length ? 'question' : 'review'))} />
      )}
      {step === 'question' && question && (
        <QuestionStep
          question={question}
          number={index + 1}
          total={enabled.length}
          value={answers[question.linkId] ?? []}
          error={errors[question.linkId]}
          onChange={change}
          onBack={index > 0 ? () => setIndex(index - 1) : p.modes.length > 1 && !p.initial?.id ? () => setStep('who') : undefined}
          onNext={() => advance(answers)}
          onSaveLater={saveLater}
          nextLabel={t(backToReview ? 'Back to review' : isLast ? 'Review answers' : 'Next')}
          focusHeading={!assisted}
        />
      )}
      {step === 'review' && (
        <Review
          questions={enabled}
          answers={answers}
          errors={errors}
          general={general}
          focusHeading={!assisted}
          onChange={(i) => (setIndex(i), setBackToReview(true), setStep('question'))}
          onBack={() => (setIndex(enabled.length - 1), setStep('question'))}
          onSubmit={() => setStep('confirm')}
        />
      )}
      {step === 'confirm' && (
        <ConfirmSubmit
          answered={enabled.filter((q) => answers[q.linkId]?.length).length}
          total={enabled.length}
          submitting={submitting}
          focusHeading={!assisted}
          onBack={() => setStep('review')}
          onConfirm={submit}
        />
      )}
    </div>
  );
}
