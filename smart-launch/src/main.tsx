import { render } from 'preact';
import { api, ApiError, setCsrfToken } from './lib/api';
import { Ctx, type AppContext } from './lib/context';
import { loadSmartStyle } from './lib/smart-style';
import { applyDisplay, loadSettings } from './player/settings';
import { App } from './App';
import { ErrorBox } from './ui/Status';
import './styles/app.css';
import './styles/player.css';

// Boot: ask the service who is signed in (the session cookie is HttpOnly; no token ever reaches this page),
// apply the person's display settings and the EHR's style, then render the app for that role.

async function boot(root: HTMLElement) {
  applyDisplay(loadSettings());
  let ctx: AppContext;
  try {
    ctx = await api.get<AppContext>('/api/context');
  } catch (e) {
    document.title = 'Not signed in · ALS wellness program';
    render(
      <main id="main" class="signed-out">
        <h1>Please open the app from your EHR</h1>
        <p>This page works only after a launch from your EHR (or a sign-in through the clinic's launcher).</p>
        <ErrorBox error={e instanceof ApiError ? e : null} title="The service said" />
      </main>,
      root,
    );
    return;
  }
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
