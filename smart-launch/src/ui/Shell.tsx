import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { translate, useLanguageChoice } from '../lib/i18n';
import { api } from '../lib/api';
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

export function Shell({ current, children }: { current: string; children: ComponentChildren }) {
  const ctx = useApp();
  const links = NAV[ctx.user.role] ?? [];
  // Staff screens (not the player, which has its own, larger targets) get targets of at least 44 px.
  const staff = STAFF.includes(ctx.user.role) && !current.startsWith('answer');
  // A patient's or caregiver's whole app is in their language (issue 15); staff keep English around the player.
  const { lang: chosen } = useLanguageChoice();
  const lang = STAFF.includes(ctx.user.role) ? 'en' : chosen;
  const t = (text: string) => translate(lang, text);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const skip = (e: Event) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };
  const signOut = async () => {
    await api.post('/smart/logout').catch(() => undefined);
    location.reload();
  };
  return (
    <>
      <a class="skip-link" href="#main" onClick={skip}>
        {t('Skip to main content')}
      </a>
      <header class="app-header">
        <p class="app-name">{t('ALS wellness program')}</p>
        <p class="who">
          {ctx.user.displayName} · <span class="role">{STAFF.includes(ctx.user.role) ? ctx.user.role : t(ctx.user.role === 'patient' ? 'patient' : 'caregiver')}</span> · {ctx.ehr.name}
        </p>
        {/* A target of switch scanning and dwell on the pages that offer them (the patient's list, the thank-you page). */}
        <button type="button" class="secondary small" onClick={signOut} data-scan="9" data-dwell>
          {t('Sign out')}
        </button>
      </header>
      {links.length > 1 && (
        <nav class="app-nav" aria-label="Main">
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
      {ctx.patient && ctx.needPatientBanner && <PatientBanner patient={ctx.patient} />}
      <main id="main" tabIndex={-1} class={staff ? 'staff' : undefined}>
        {children}
      </main>
    </>
  );
}
