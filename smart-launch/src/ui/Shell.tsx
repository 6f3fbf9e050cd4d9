import type { ComponentChildren } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import { LangCtx, translate, type T } from '../lib/i18n';
import { api } from '../lib/api';
import { rememberScreenLanguage, rememberSignOut } from '../lib/signed-out';
import { SignOut } from './SignOut';
import { useApp, type Role } from '../lib/context';
import { href } from '../lib/router';
import { PatientBanner } from './PatientBanner';

// The frame around every screen: skip link, header with who is signed in, the role's navigation,
// the patient banner, and the main landmark.

const NAV: Record<Role, { path: string; label: string }[]> = {
  clinician: [{ path: 'patient', label: 'Patient' }],
  coordinator: [
    { path: 'worklist', label: 'Referrals' },
    { path: 'cohorts', label: 'Cohorts and sessions' },
    { path: 'problems', label: 'Write-back problems' },
    { path: 'alerts', label: 'Escalated safety alerts' },
  ],
  quality: [{ path: 'report', label: 'Outcome report' }],
  admin: [
    { path: 'admin/registrations', label: 'EHRs' },
    { path: 'admin/users', label: 'Users and roles' },
    { path: 'admin/programs', label: 'Programs' },
    { path: 'admin/questionnaires', label: 'Questionnaires' },
    { path: 'admin/outbox', label: 'Write-back queue' },
    { path: 'admin/audit', label: 'Audit log' },
    { path: 'report', label: 'Outcome report' },
  ],
  patient: [{ path: 'forms', label: 'My questionnaires' }],
  caregiver: [{ path: 'forms', label: 'My questionnaires' }],
};

const STAFF: Role[] = ['clinician', 'coordinator', 'quality', 'admin'];

export function isStaff(role: Role): boolean {
  return STAFF.includes(role);
}

/** The signed-in person's role, in the screen's language (a clinician's, on the player a patient reads). */
function roleName(role: Role, t: T): string {
  switch (role) {
    case 'patient':
      return t('patient');
    case 'caregiver':
      return t('caregiver');
    case 'clinician':
      return t('clinician');
    case 'coordinator':
      return t('care coordinator');
    case 'quality':
      return t('quality team');
    case 'admin':
      return t('administrator');
  }
}

export function Shell({ current, children }: { current: string; children: ComponentChildren }) {
  const ctx = useApp();
  const links = NAV[ctx.user.role] ?? [];
  // Staff screens (not the player, which has its own, larger targets) get targets of at least 44 px; the patient's
  // and caregiver's screens and the player (for anyone: it may be handed over) targets of at least 64 px each way,
  // the frame's included (large-targets, app.css), and sign-out asks first (SignOut).
  const staff = isStaff(ctx.user.role) && !current.startsWith('answer');
  const large = staff ? '' : ' large-targets';
  // The screen's language (App: lib/i18n.ts screenLanguage): a patient's or caregiver's whole app, and the player for
  // anyone, is in the person's language, frame and patient banner included (issue 15); staff screens in English.
  const lang = useContext(LangCtx);
  const t: T = (text, vars) => translate(lang, text, vars);
  useEffect(() => {
    document.documentElement.lang = lang;
    // If the session ends without "Sign out" (expired), the page the next load shows is in this language too.
    rememberScreenLanguage(lang);
  }, [lang]);
  const skip = (e: Event) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };
  const signOut = async () => {
    await api.post('/smart/logout').catch(() => undefined);
    // The signed-out page that the reload shows (main.tsx) is in this screen's language, and says what happened.
    rememberSignOut(lang);
    location.reload();
  };
  return (
    <>
      <a class={`skip-link${large}`} href="#main" onClick={skip}>
        {t('Skip to main content')}
      </a>
      <header class={`app-header${large}`}>
        <p class="app-name">{t('ALS wellness program')}</p>
        <p class="who">
          {ctx.user.displayName} · <span class="role">{roleName(ctx.user.role, t)}</span> · {ctx.ehr.name}
        </p>
        {/* A target of switch scanning and dwell on the pages that offer them (the patient's list, the thank-you page). */}
        {staff ? (
          <button type="button" class="secondary small" onClick={signOut}>
            {t('Sign out')}
          </button>
        ) : (
          <SignOut t={t} onSignOut={signOut} />
        )}
      </header>
      {links.length > 1 && (
        // Only staff have more than one place to go: their navigation's words are staff words, in English.
        <nav class="app-nav" aria-label="Main" lang="en">
          <ul>
            {links.map((l) => (
              <li key={l.path}>
                <a href={href(l.path)} aria-current={current.startsWith(l.path) ? 'page' : undefined}>
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {ctx.patient && ctx.needPatientBanner && <PatientBanner patient={ctx.patient} lang={lang} />}
      <main id="main" tabIndex={-1} class={staff ? 'staff' : 'large-targets'}>
        {children}
      </main>
    </>
  );
}
