import { Injectable, type Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { classifyAndLog, RETRY_AFTER_SETTING } from '../../common/errors/all-exceptions.filter.js';
import type { ClassifiedError } from '../../common/errors/classify-error.js';
import { ErrorPage } from '../../common/errors/error-page.port.js';

// A refused launch or callback is a browser's page, not an API answer: the person who clicked the app in the EHR
// sees what happened and what to do, in their browser's language (English or Spanish, as the app's patient
// pages), with the error code and request id for the clinic's IT. API clients (no text/html in Accept) keep the
// OperationOutcome. The same page answers a browser's navigation to /smart/* that the middleware refused before
// any route (rate limit, overload shedding, a refused character in the URL: see app.setup.ts) or that no route
// takes (SignInProblemPage, below).

type Lang = 'en' | 'es';
type Problem = 'own-record' | 'cared-for' | 'no-cared-for' | 'relaunch' | 'declined' | 'ehr-refused' | 'not-set-up' | 'unavailable' | 'other';

interface Words {
  title: string;
  lines: string[];
}

const WORDS: Record<Lang, Record<Problem, Words>> = {
  en: {
    'own-record': {
      title: 'You can open only your own record',
      lines: ['The app was opened for another person. Nothing of theirs was shown.', 'Close this page and open the app again from your patient portal, choosing yourself.'],
    },
    'cared-for': {
      title: 'You can open only the record of the person you care for',
      lines: [
        'The app was opened for someone you are not listed as caring for. Nothing of theirs was shown.',
        'Close this page and open the app again from your portal, choosing the person you care for. If they are not offered, ask the clinic to check that you are listed as their caregiver.',
      ],
    },
    'no-cared-for': {
      title: 'The clinic has not listed whom you care for',
      lines: ['Your record at the clinic does not name the person you care for, so the app cannot open.', 'Please ask the clinic to add you as that person’s caregiver, then open the app again.'],
    },
    relaunch: {
      title: 'This sign-in has expired',
      lines: ['The sign-in link was already used, is too old, or was opened in another browser.', 'Close this page and open the app again from the EHR or your portal.'],
    },
    declined: {
      title: 'Access to the app was not given',
      lines: [
        'In the EHR, access to this app was declined, or your account is not allowed to use it. Nothing was shared with the app.',
        'If that was a mistake, open the app again from the EHR or your portal and allow access. If you are not allowed, the clinic can tell you why.',
      ],
    },
    'ehr-refused': {
      title: 'The EHR did not complete the sign-in',
      lines: ['Close this page and open the app again from the EHR or your portal.', 'If this keeps happening, tell the clinic’s IT team (with the code below).'],
    },
    'not-set-up': {
      title: 'The app is not set up for this EHR',
      lines: ['The EHR this app was opened from is not registered with it.', 'Please tell the clinic’s IT team (with the code below).'],
    },
    unavailable: {
      title: 'The app cannot be reached right now',
      lines: ['The EHR or the app is busy or not answering.', 'Please wait a few minutes, then open the app again from the EHR or your portal.'],
    },
    other: {
      title: 'The app could not be opened',
      lines: ['Close this page and open the app again from the EHR or your portal.', 'If this keeps happening, tell the clinic’s IT team (with the code below).'],
    },
  },
  es: {
    'own-record': {
      title: 'Solo puede abrir su propio expediente',
      lines: ['La aplicación se abrió para otra persona. No se mostró nada de esa persona.', 'Cierre esta página y vuelva a abrir la aplicación desde su portal de paciente, eligiéndose a usted.'],
    },
    'cared-for': {
      title: 'Solo puede abrir el expediente de la persona que cuida',
      lines: [
        'La aplicación se abrió para alguien a quien usted no cuida según la clínica. No se mostró nada de esa persona.',
        'Cierre esta página y vuelva a abrir la aplicación desde su portal, eligiendo a la persona que cuida. Si no aparece, pida a la clínica que confirme que usted figura como su cuidador.',
      ],
    },
    'no-cared-for': {
      title: 'La clínica no ha indicado a quién cuida usted',
      lines: ['Su registro en la clínica no nombra a la persona que cuida, así que la aplicación no puede abrirse.', 'Pida a la clínica que lo registre como cuidador de esa persona y vuelva a abrir la aplicación.'],
    },
    relaunch: {
      title: 'Este inicio de sesión ha caducado',
      lines: ['El enlace de inicio de sesión ya se usó, es demasiado antiguo o se abrió en otro navegador.', 'Cierre esta página y vuelva a abrir la aplicación desde la historia clínica o su portal.'],
    },
    declined: {
      title: 'No se dio acceso a la aplicación',
      lines: [
        'En la historia clínica se rechazó el acceso a esta aplicación, o su cuenta no tiene permiso para usarla. No se compartió nada con la aplicación.',
        'Si fue un error, vuelva a abrir la aplicación desde la historia clínica o su portal y permita el acceso. Si no tiene permiso, la clínica puede explicarle por qué.',
      ],
    },
    'ehr-refused': {
      title: 'La historia clínica no completó el inicio de sesión',
      lines: ['Cierre esta página y vuelva a abrir la aplicación desde la historia clínica o su portal.', 'Si vuelve a ocurrir, avise al equipo informático de la clínica (con el código de abajo).'],
    },
    'not-set-up': {
      title: 'La aplicación no está configurada para esta historia clínica',
      lines: ['La historia clínica desde la que se abrió la aplicación no está registrada en ella.', 'Avise al equipo informático de la clínica (con el código de abajo).'],
    },
    unavailable: {
      title: 'No se puede acceder a la aplicación en este momento',
      lines: ['La historia clínica o la aplicación está ocupada o no responde.', 'Espere unos minutos y vuelva a abrir la aplicación desde la historia clínica o su portal.'],
    },
    other: {
      title: 'No se pudo abrir la aplicación',
      lines: ['Cierre esta página y vuelva a abrir la aplicación desde la historia clínica o su portal.', 'Si vuelve a ocurrir, avise al equipo informático de la clínica (con el código de abajo).'],
    },
  },
};

const FOR_IT: Record<Lang, string> = { en: 'For the clinic’s IT team', es: 'Para el equipo informático de la clínica' };
const REQUEST: Record<Lang, string> = { en: 'request', es: 'solicitud' };

/** Which page: by the callback's own reason when it gave one (see CallbackService), else by the error code. */
function problemOf(c: ClassifiedError, reason: string | undefined): Problem {
  switch (reason) {
    case 'patient-mismatch':
      return 'own-record';
    case 'caregiver-patient-mismatch':
      return 'cared-for';
    case 'caregiver-without-patient':
      return 'no-cared-for';
    case 'no-launch-cookie':
    case 'missing-code-or-state':
    case 'unknown-or-used-state':
    case 'no-state':
      return 'relaunch';
    case 'ehr:access_denied':
      // OAuth's access_denied (RFC 6749 §4.1.2.1): the person, or the EHR's rules for them, said no; nothing broke.
      return 'declined';
  }
  switch (c.code) {
    case 'SMART.TOKEN_EXCHANGE_FAILED':
    case 'SMART.ID_TOKEN_INVALID':
      return 'ehr-refused';
    case 'SMART.STATE_INVALID':
      return 'relaunch';
    case 'SMART.UNKNOWN_ISSUER':
    case 'SMART.LAUNCH_INVALID':
      return 'not-set-up';
  }
  return c.status === 503 || c.status === 429 ? 'unavailable' : 'other';
}

/**
 * Answers `err` with the page, at its status (logged as the error filter logs it); a 503 says when to come back, as
 * the OperationOutcome would. Headers already set (the rate limiter's Retry-After and RateLimit) stay.
 */
export function sendSignInProblem(err: unknown, req: Request, res: Response, logger: Logger, reason?: string): void {
  const c = classifyAndLog(err, req, logger);
  if (c.status === 503) res.setHeader('Retry-After', String(req.app?.get(RETRY_AFTER_SETTING) ?? 5));
  res.status(c.status).type('html').send(signInProblemPage(c, req, reason));
}

/** A browser navigation (text/html preferred to JSON) answered with a page; fetch() and API clients are not. */
export function wantsPage(req: Request): boolean {
  return req.method === 'GET' && req.accepts(['json', 'html']) === 'html';
}

/**
 * The error filter's and the middleware's page (common's ErrorPage port): a browser's navigation to /smart/* that
 * was refused (by the middleware, or by no route there: a mistyped or outdated link) sees this page, not JSON.
 */
@Injectable()
export class SignInProblemPage extends ErrorPage {
  send(err: unknown, req: Request, res: Response, logger: Logger): boolean {
    if (!req.path.startsWith('/smart/') || !wantsPage(req)) return false;
    sendSignInProblem(err, req, res, logger);
    return true;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string) => text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]);

const STYLE = `body{font:18px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:38rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border:1px solid #d0d7de;border-radius:8px}
h1{font-size:1.6rem;line-height:1.25}.it{color:#57606a;font-size:.9rem;margin-top:2rem}`;

/** The page for a refused launch or callback, in the browser's language (English unless it prefers Spanish). */
export function signInProblemPage(c: ClassifiedError, req: Request, reason?: string): string {
  const lang: Lang = req.acceptsLanguages('en', 'es') === 'es' ? 'es' : 'en';
  const words = WORDS[lang][problemOf(c, reason)];
  const requestId = typeof (req as { id?: unknown }).id === 'string' ? (req as { id: string }).id : undefined;
  const reference = `${c.code}${requestId ? ` · ${REQUEST[lang]} ${requestId}` : ''}`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(words.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${esc(words.title)}</h1>
${words.lines.map((l) => `<p>${esc(l)}</p>`).join('\n')}
<p class="it">${FOR_IT[lang]}: <code>${esc(reference)}</code></p>
</main>
</body>
</html>
`;
}
