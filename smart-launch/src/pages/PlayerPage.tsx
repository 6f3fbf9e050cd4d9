import type { Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { useMemo, useState } from 'preact/hooks';
import { localize } from '@engine/translations/translate';
import { LangCtx, translate, useLanguageChoice, type Lang } from '../lib/i18n';
import { useApp, type AppContext } from '../lib/context';
import { isFormClosed, patientProblem } from '../lib/patient-problems';
import { apiStore, questionnaires, responses, type SaveView } from '../lib/responses';
import { href, navigate } from '../lib/router';
import type { AnswerMode } from '../player/answer-mode';
import { Page } from '../ui/Page';
import { ErrorBox, Loading } from '../ui/Status';
import { useLoad } from '../ui/use-load';
import type { CrisisText } from '../player/SafetyMessage';
import { dueForms } from './player/due-forms';
import { Finished } from './player/Finished';
import { Unavailable } from './player/Unavailable';
import { LanguageSwitch } from './player/LanguageSwitch';

// #/answer/<questionnaire>?subject=Patient/x&response=<draft>&assignment=<id>&return=<route>
// Loads the Questionnaire (and the draft to resume), then hands both to the player. The draft's id goes
// into the URL as soon as it exists, so a reload (or a visit days later) resumes where the person stopped.
// A due form that cannot be answered today (not open yet, done, cancelled) never reaches the player.
// The player, with the questionnaire engine and its FHIRPath, is its own file, loaded with the questionnaire:
// the screens before it stay light.

const loadPlayer = () => import('../player/Player').then((m) => m.Player);

/** The answer modes the server accepts for this user and subject (src/questionnaires/responses/answering.rules.ts). */
export function modesFor(ctx: AppContext, subject: string): AnswerMode[] {
  const onPatient = subject.startsWith('Patient/');
  if (ctx.user.role === 'clinician') return onPatient ? ['clinician-read-aloud', 'proxy'] : ['clinician-read-aloud'];
  if (ctx.user.role === 'caregiver') return onPatient ? ['caregiver-entered', 'proxy'] : ['self'];
  return ['self'];
}

/** Pre-filled answers for a new response, without a mode: the person still says who is answering. */
async function prefilled(questionnaireId: string, subject: string): Promise<QuestionnaireResponse | undefined> {
  try {
    const qr = await questionnaires.populate(questionnaireId, subject);
    return qr?.item?.length ? { ...qr, extension: undefined } : undefined;
  } catch {
    return undefined;
  }
}

/** A language's name in the reader's language (`es` → "Spanish" in English, "español" in Spanish), by the browser's Intl. */
function languageName(code: string, reader: Lang): string {
  try {
    return new Intl.DisplayNames([reader], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Crisis information on screen: the latest the server sent, in every language the clinic has it in (`safetyMessages`),
 * until the person closes it. Shown in the reader's language, which need not be the form's.
 */
interface Safety {
  messages: CrisisText[];
  dismissed: boolean;
}

/** The text in `lang`; else the clinic's English one, marked English (never English text under a Spanish `lang`). */
export function crisisTextFor(messages: CrisisText[], lang: Lang): CrisisText | undefined {
  return messages.find((m) => m.language === lang) ?? messages.find((m) => m.language === 'en') ?? messages[0];
}

/** What a save answered, as texts with their language (`safetyMessage` alone from a service before `safetyMessages`). */
function crisisTexts(view: SaveView | undefined): CrisisText[] {
  if (view?.safetyMessages?.length) return view.safetyMessages;
  return view?.safetyMessage ? [{ text: view.safetyMessage, language: view.safetyMessageLanguage ?? 'en' }] : [];
}

/** What staff launched on a Task in draft or on hold are told: the form opens, the Task is not completed. */
function taskNote(status: string): string {
  return `The EHR's task for this form ${status === 'draft' ? 'is still a draft' : 'is on hold'}, so sending the answers does not mark it done.`;
}

export function PlayerPage({ questionnaireId, query }: { questionnaireId?: string; query: URLSearchParams }) {
  const ctx = useApp();
  // The draft to resume is read once: when the player creates one it only writes its id into the URL. It is read
  // again (a new generation of the player) when it was saved elsewhere and the person opens the latest answers.
  const [responseId, setResponseId] = useState(() => query.get('response') ?? undefined);
  const [generation, setGeneration] = useState(0);
  const back = query.get('return') ?? '';
  // Set by LaunchForm for staff when the EHR launched on a Task in draft or on hold (the service will not complete it).
  const taskNotReady = ['draft', 'on-hold'].includes(query.get('task') ?? '') && (ctx.user.role === 'clinician' || ctx.user.role === 'coordinator') ? query.get('task') : null;
  const assignment = query.get('assignment') ?? undefined;
  const subjectRef = query.get('subject') ?? (ctx.patient ? `Patient/${ctx.patient.id}` : ctx.user.fhirUser);
  const [finished, setFinished] = useState<{ kind: 'submitted' | 'saved'; result?: SaveView } | null>(null);
  const [safety, setSafety] = useState<Safety | null>(null);
  const [refused, setRefused] = useState(false);
  // The patient's language from the EHR, unless the person chose another this session (held by App).
  const { lang, choose } = useLanguageChoice();
  const t = (text: string, vars?: Record<string, string | number>) => translate(lang, text, vars);
  // Preview (the library's "Preview"): the same player, answers kept on this page only.
  const preview = query.get('preview') === '1';
  const { data, error, loading } = useLoad(async () => {
    const [draft, q, form, Player] = await Promise.all([
      // A new response starts with what the server could pre-fill from the EHR (SDC $populate); without it, empty.
      responseId ? responses.get(responseId) : preview ? undefined : prefilled(questionnaireId ?? '', subjectRef),
      questionnaires.get(questionnaireId ?? '') as Promise<Questionnaire>,
      assignment ? dueForms.get(assignment) : undefined,
      loadPlayer(),
    ]);
    return { q, draft, form, Player, generation };
  }, [questionnaireId, responseId, assignment, generation]);
  const openLatest = (id: string) => {
    setResponseId(id);
    setGeneration((g) => g + 1);
  };
  const store = useMemo(() => {
    if (preview) return { save: async (qr: QuestionnaireResponse) => qr, submit: async (qr: QuestionnaireResponse) => qr, last: () => undefined };
    const server = apiStore({ assignment, onCreated: (id) => navigate(`answer/${encodeURIComponent(questionnaireId ?? '')}`, { subject: subjectRef, response: id, assignment, return: back || undefined, task: query.get('task') ?? undefined }, true) });
    // Every answer the server gives is read for crisis information; a refusal of the form itself ends the player.
    // Closed, it stays closed while later saves bring the same text; sending the form brings back what it brings, or
    // else what was shown before (a draft's crisis answer, changed before sending, already raised its alert): the
    // last page a person who was shown it sees carries it, closed while answering or not. So does "finish later"
    // (below).
    const heard = (sending: boolean) => (saved: QuestionnaireResponse) => {
      const messages = crisisTexts(server.last());
      const same = (now: Safety | null) => !!now && JSON.stringify(now.messages) === JSON.stringify(messages);
      setSafety((now) => {
        if (messages.length) return !sending && same(now) ? now : { messages, dismissed: false };
        return sending && now ? { ...now, dismissed: false } : now;
      });
      return saved;
    };
    const refusal = (e: unknown): never => {
      if (isFormClosed(e)) {
        setRefused(true);
        // The page that replaces the player is the last one: crisis information shown while answering comes back.
        setSafety((now) => (now ? { ...now, dismissed: false } : now));
      }
      throw e;
    };
    return {
      save: (qr: QuestionnaireResponse) => server.save(qr).then(heard(false), refusal),
      submit: (qr: QuestionnaireResponse) => server.submit(qr).then(heard(true), refusal),
      latest: server.latest,
      last: server.last,
    };
  }, [questionnaireId, preview, generation]);

  // The form in the chosen language when a whole translation exists (translation extensions), else as published.
  const shown = useMemo(() => (data ? localize(data.q, lang) : undefined), [data?.q, lang]);
  if ((loading && !data) || (data && data.generation !== generation && !error)) return <Loading text={t('Loading the questionnaire…')} />;
  if (error || !data || !shown) {
    return (
      <Page title={t('Questionnaire')}>
        <ErrorBox error={error} title={t('The questionnaire could not be opened')} lines={[patientProblem(error, t, t('Please try again in a moment.'))]} />
      </Page>
    );
  }
  const title = shown.questionnaire.title ?? data.q.name ?? t('Questionnaire');
  const shownSafety = (safety && !safety.dismissed && crisisTextFor(safety.messages, lang)) || null;
  const dismissSafety = () => setSafety((now) => (now ? { ...now, dismissed: true } : now));
  if (finished) {
    return (
      <div lang={lang}>
      <Finished
        title={title}
        kind={finished.kind}
        result={finished.result}
        backHref={href(back || '')}
        showScores={ctx.user.role === 'clinician'}
        staffNote={taskNotReady && finished.kind === 'submitted' ? taskNote(taskNotReady) : undefined}
        safetyMessage={shownSafety}
        onDismissSafety={dismissSafety}
      />
      </div>
    );
  }
  if (refused || (data.form && data.form.availability !== 'open')) {
    return (
      <div lang={lang}>
        <Unavailable title={title} form={refused ? undefined : data.form} refused={refused} backHref={href(back || '')} safetyMessage={refused ? shownSafety : null} onDismissSafety={dismissSafety} />
      </div>
    );
  }
  const aboutPatient = ctx.patient && subjectRef === `Patient/${ctx.patient.id}`;
  const subjectLabel = subjectRef === ctx.user.fhirUser ? t('yourself') : aboutPatient ? (ctx.patient?.name ?? t('the patient')) : t('the person');
  const { Player } = data;
  return (
    <Page title={preview ? `Preview: ${title}` : title} titleLang={preview ? undefined : shown.language}>
      {preview && (
        <p class="notice" lang="en">
          Preview: nothing is saved or sent.
        </p>
      )}
      {taskNotReady && (
        <p class="caution" lang="en">
          {taskNote(taskNotReady)} The answers are saved and written back to the record as usual.
        </p>
      )}
      <LangCtx.Provider value={lang}>
      <div lang={lang}>
      {!shown.translated && (
        <p class="notice">{translate(lang, 'This form is not yet available in {language}; it is shown in {original}.', { language: languageName(lang, lang), original: languageName(shown.language, lang) })}</p>
      )}
      <div lang={shown.language}>
      <Player
        key={data.generation}
        questionnaire={shown.questionnaire}
        initial={data.draft as QuestionnaireResponse | undefined}
        subject={{ reference: subjectRef }}
        subjectLabel={subjectLabel}
        modes={preview ? ['self', 'caregiver-entered', 'clinician-read-aloud', 'proxy'] : modesFor(ctx, subjectRef)}
        store={store}
        onDone={() => setFinished({ kind: 'submitted', result: store.last() })}
        onSavedForLater={() => {
          setSafety((now) => (now ? { ...now, dismissed: false } : now));
          setFinished({ kind: 'saved' });
        }}
        safetyMessage={shownSafety}
        onDismissSafety={dismissSafety}
        bar={<LanguageSwitch lang={lang} onChoose={choose} />}
        onOpenLatest={preview ? undefined : openLatest}
      />
      </div>
      </div>
      </LangCtx.Provider>
    </Page>
  );
}
