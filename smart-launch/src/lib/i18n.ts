import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

// The app's own words in the person's language (issue 15): a small catalogue keyed by the English text, so a
// missing entry shows English rather than a key, and `{name}` placeholders. Hand-written rather than an i18n
// framework: two languages and a few dozen phrases fit in a map; a library would outweigh the player.
// The forms' own wording never comes from here: it comes from the Questionnaire's translation extensions
// (src/questionnaires/engine/translations/), with its published source.

export const LANGUAGES = ['en', 'es'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', es: 'Español' };

const ES: Record<string, string> = {
  'Question {n} of {total}': 'Pregunta {n} de {total}',
  'An answer is needed.': 'Se necesita una respuesta.',
  'You may leave this one out.': 'Puede dejar esta sin responder.',
  Back: 'Atrás',
  Next: 'Siguiente',
  Start: 'Empezar',
  'Back to review': 'Volver a la revisión',
  'Review answers': 'Revisar respuestas',
  'Save and finish later': 'Guardar y terminar más tarde',
  'Check your answers': 'Revise sus respuestas',
  'Some answers need attention': 'Algunas respuestas necesitan atención',
  'Question {n}: {message}': 'Pregunta {n}: {message}',
  'Submit answers': 'Enviar respuestas',
  'Not answered': 'Sin responder',
  Change: 'Cambiar',
  'Change answer to question {n}': 'Cambiar la respuesta a la pregunta {n}',
  'Send your answers now?': '¿Enviar sus respuestas ahora?',
  'You answered {answered} of {total} questions. Once sent, your answers go to your care team and this form is complete.':
    'Respondió {answered} de {total} preguntas. Una vez enviadas, sus respuestas van a su equipo de atención y este formulario queda completo.',
  'No, check my answers again': 'No, revisar mis respuestas otra vez',
  'Yes, send my answers': 'Sí, enviar mis respuestas',
  'Sending…': 'Enviando…',
  'Saving…': 'Guardando…',
  'The answers could not be sent.': 'No se pudieron enviar las respuestas.',
  'Answers saved at {time}.': 'Respuestas guardadas a las {time}.',
  'Not saved yet: {message} Your answers are still on this screen; the next step tries again.':
    'Aún sin guardar: {message} Sus respuestas siguen en esta pantalla; el siguiente paso lo intenta de nuevo.',
  'Your answer': 'Su respuesta',
  'If you need help now': 'Si necesita ayuda ahora',
  'Close this message': 'Cerrar este mensaje',
  'Who is answering the questions about {subject}?': '¿Quién responde las preguntas sobre {subject}?',
  'Please choose who is answering.': 'Por favor, elija quién responde.',
  Language: 'Idioma',
  'This form is not yet available in {language}; it is shown in {original}.':
    'Este formulario aún no está disponible en español; se muestra en {original}.',
  'Thank you. Your answers have been sent.': 'Gracias. Sus respuestas se han enviado.',
  'Your answers are saved. You can finish later.': 'Sus respuestas están guardadas. Puede terminar más tarde.',
  'My forms': 'Mis formularios',
};

const CATALOGUES: Record<Lang, Record<string, string>> = { en: {}, es: ES };

/** `text` (the English phrase) in `lang`, placeholders filled. */
export function translate(lang: Lang, text: string, vars: Record<string, string | number> = {}): string {
  const template = CATALOGUES[lang][text] ?? text;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export type T = (text: string, vars?: Record<string, string | number>) => string;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

const CHOICE_KEY = 'als-language';

/** The person's own choice, kept for this browser session (it outranks the EHR's). */
export function chosenLanguage(): Lang | undefined {
  try {
    const v = sessionStorage.getItem(CHOICE_KEY);
    return isLang(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function rememberLanguage(lang: Lang): void {
  try {
    sessionStorage.setItem(CHOICE_KEY, lang);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

/** The language to start in: the person's choice this session, else the EHR's (Patient.communication), else English. */
export function initialLanguage(fromEhr: string | null | undefined): Lang {
  return chosenLanguage() ?? (isLang(fromEhr) ? fromEhr : 'en');
}

export const LangCtx = createContext<Lang>('en');

/** The translate function for the language of the screen around. */
export function useT(): T {
  const lang = useContext(LangCtx);
  return (text, vars) => translate(lang, text, vars);
}
