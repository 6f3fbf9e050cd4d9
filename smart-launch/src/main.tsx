import { render } from 'preact';
import { api, ApiError, setCsrfToken } from './lib/api';
import { Ctx, type AppContext } from './lib/context';
import { loadSmartStyle } from './lib/smart-style';
import { applyDisplay, loadSettings } from './player/settings';
import { App } from './App';
import { forgetSignOut, signedOutIn, signedOutLanguage } from './lib/signed-out';
import { translate } from './lib/i18n';
import { contextProblem } from './lib/patient-problems';
import { ErrorBox } from './ui/Status';
import './styles/app.css';
import './styles/player.css';

// Boot: ask the service who is signed in (the session cookie is HttpOnly; no token ever reaches this page),
// apply the person's display settings and the EHR's style, then render the app for that role.

/**
 * Nobody is signed in (or the service could not say who): the page before any role is known, so it may be a
 * patient's. In the person's language (the screen's they signed out from, else their choice, else the browser's) and
 * in the app's own words, never the service's wording (written for staff): after "Sign out", that they are signed
 * out and their saved answers kept; else how to open the app, and what went wrong only when it was not simply that.
 */
function SignedOut({ error }: { error: unknown }) {
  const lang = signedOutLanguage();
  const t = (text: string, vars?: Record<string, string | number>) => translate(lang, text, vars);
  const left = !!signedOutIn();
  const heading = t(left ? 'You are signed out' : 'Please open the app from your EHR');
  document.documentElement.lang = lang;
  document.title = `${heading} · ${t('ALS wellness program')}`;
  const notSignedIn = error instanceof ApiError && error.status === 401;
  return (
    <main id="main" class="signed-out">
      <h1>{heading}</h1>
      {left && <p>{t('Answers you have already saved are kept. You can sign in again and go on where you stopped.')}</p>}
      <p>{t('To sign in again, open the app from your patient portal or your EHR (or through the clinic’s launcher).')}</p>
      {!notSignedIn && <ErrorBox error={error instanceof Error ? error : new Error('')} title={t('That did not work')} lines={[contextProblem(error, t)]} />}
    </main>
  );
}

async function boot(root: HTMLElement) {
  applyDisplay(loadSettings());
  let ctx: AppContext;
  try {
    ctx = await api.get<AppContext>('/api/context');
  } catch (e) {
    render(<SignedOut error={e} />, root);
    return;
  }
  forgetSignOut();
  setCsrfToken(ctx.csrfToken);
  void loadSmartStyle(ctx.smartStyleUrl);
  render(
    <Ctx.Provider value={ctx}>
      <App />
    </Ctx.Provider>,
    root,
  );
}

void boot(document.getElementById('root')!);
