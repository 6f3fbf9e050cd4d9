import { useEffect, useState } from 'preact/hooks';
import { choiceOwner, initialLanguage, LangCtx, LanguageChoiceCtx, rememberLanguage, screenLanguage, type Lang } from './lib/i18n';
import { useApp, type AppContext } from './lib/context';
import { launchFormPending } from './lib/launch-form';
import { useRoute, type Route } from './lib/router';
import { Audit } from './pages/admin/Audit';
import { Outbox } from './pages/admin/Outbox';
import { ProgramsAdmin } from './pages/admin/Programs';
import { QuestionnaireLibrary } from './pages/admin/Questionnaires';
import { Registrations } from './pages/admin/Registrations';
import { Users } from './pages/admin/Users';
import { CohortDetail } from './pages/coordinator/CohortDetail';
import { Cohorts } from './pages/coordinator/Cohorts';
import { EscalatedAlerts } from './pages/coordinator/EscalatedAlerts';
import { OnlyPatientInContext } from './pages/coordinator/OnlyPatientInContext';
import { Problems } from './pages/coordinator/Problems';
import { Worklist } from './pages/coordinator/Worklist';
import { MyForms } from './pages/MyForms';
import { NoteSummary } from './pages/patient/NoteSummary';
import { PatientView } from './pages/patient/PatientView';
import { LaunchForm } from './pages/LaunchForm';
import { PlayerPage } from './pages/PlayerPage';
import { Report } from './pages/quality/Report';
import { isStaff, Shell } from './ui/Shell';

// Which screen a route shows. The server checks every call against role and patient; the client only
// chooses sensible screens for the role.

function home(ctx: AppContext): string {
  // Launched on a form (SMART 2.2 fhirContext): open it first, once.
  if (launchFormPending(ctx)) return 'launch-form';
  switch (ctx.user.role) {
    case 'clinician':
      return 'patient';
    case 'coordinator':
      return ctx.patient ? 'patient' : 'worklist';
    case 'quality':
      return 'report';
    case 'admin':
      return 'admin/registrations';
    default:
      return 'forms';
  }
}

/** With a patient open in the EHR, screens about another patient, or listing others, are not shown. */
function othersWhilePatientOpen([a, b]: string[], ctx: AppContext): boolean {
  if (!ctx.patient) return false;
  if (a === 'patient' || a === 'summary') return !!b && b !== ctx.patient.id;
  return ctx.user.role === 'coordinator' && (a === 'cohorts' || a === 'problems');
}

function screen(route: Route, ctx: AppContext) {
  const [a, b] = route.path;
  if (othersWhilePatientOpen(route.path, ctx)) return <OnlyPatientInContext ctx={ctx} />;
  switch (a) {
    case 'patient':
      return <PatientView patientId={b ?? ctx.patient?.id} />;
    case 'summary':
      return <NoteSummary patientId={b ?? ctx.patient?.id} />;
    case 'launch-form':
      return <LaunchForm />;
    case 'answer':
      return <PlayerPage questionnaireId={b} query={route.query} />;
    case 'forms':
      return <MyForms />;
    case 'worklist':
      return <Worklist status={route.query.get('status') ?? undefined} />;
    case 'cohorts':
      return b ? <CohortDetail cohortId={b} sessionId={route.query.get('session') ?? undefined} /> : <Cohorts />;
    case 'problems':
      return <Problems />;
    case 'alerts':
      return <EscalatedAlerts />;
    case 'report':
      return <Report />;
    case 'admin':
      if (b === 'users') return <Users />;
      if (b === 'programs') return <ProgramsAdmin />;
      if (b === 'questionnaires') return <QuestionnaireLibrary />;
      if (b === 'outbox') return <Outbox />;
      if (b === 'audit') return <Audit />;
      return <Registrations />;
    default:
      return null;
  }
}

export function App() {
  const ctx = useApp();
  const route = useRoute();
  const path = route.path.length ? route.path.join('/') : home(ctx);
  useEffect(() => {
    // From the second screen on, each screen's h1 takes focus (see ui/Page.tsx).
    const mark = () => (document.body.dataset.navigated = '1');
    window.addEventListener('hashchange', mark);
    return () => window.removeEventListener('hashchange', mark);
  }, []);
  // The person's language (issue 15): their choice this session, else the patient's from the EHR. Staff screens
  // stay in English; the player, the pages around it and a patient's or caregiver's own pages follow it.
  const owner = choiceOwner(ctx.patient?.id, ctx.user.fhirUser);
  const [lang, setLang] = useState<Lang>(() => initialLanguage(ctx.patient?.language, owner));
  const choice = { lang, choose: (next: Lang) => (rememberLanguage(next, owner), setLang(next)) };
  const r = route.path.length ? route : { ...route, path: path.split('/') };
  return (
    <LanguageChoiceCtx.Provider value={choice}>
      <LangCtx.Provider value={screenLanguage(isStaff(ctx.user.role), path, lang)}>
        <Shell current={path}>{screen(r, ctx)}</Shell>
      </LangCtx.Provider>
    </LanguageChoiceCtx.Provider>
  );
}
