import { useApp } from '../../lib/context';
import { formatDate, label } from '../../lib/format';
import { priorityLabel, programs, referrals, type Program, type Referral } from '../../lib/programs';
import { alerts, type AlertView } from '../../lib/responses';
import { href, navigate } from '../../lib/router';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { EnrolForm } from '../patient/EnrolForm';
import { DecisionForm } from './DecisionForm';
import { EscalatedAlertNotice } from './EscalatedAlerts';
import { PatientName } from './PatientName';
import { PersonName } from './PersonName';
import { ScreeningForm } from './ScreeningForm';

// The coordinator's referral worklist, grouped by status, with the next action on each card. Every card names
// its patient from the EHR (PatientName); opened from a patient's chart, the list holds only that patient.

const ORDER = ['referred', 'screened', 'accepted', 'enrolled', 'active', 'declined', 'completed', 'withdrawn'];

export function Worklist({ status }: { status?: string }) {
  const ctx = useApp();
  const title = ctx.patient ? `Referrals — ${ctx.patient.name ?? 'patient open in your EHR'}` : 'Referrals';
  const { data, error, loading, reload } = useLoad(() => Promise.all([referrals.list(status ? { status } : {}), programs.list()]), [status]);
  // Escalated safety alerts still waiting, shown on each of the patient's cards.
  const escalated = useLoad(() => alerts.list({ escalated: true, status: 'open' }), []);
  const filter = (
    <div class="field">
      <label for="worklist-status">Show</label>
      <select id="worklist-status" value={status ?? ''} onChange={(e) => navigate('worklist', { status: e.currentTarget.value || undefined })}>
        <option value="">All open and recent referrals</option>
        {ORDER.map((s) => (
          <option key={s} value={s}>
            {label(s)}
          </option>
        ))}
      </select>
    </div>
  );
  if (loading && !data) return <Page title={title}>{<Loading what="referrals" />}</Page>;
  if (error || !data) return <Page title={title}>{<ErrorBox error={error} title="Referrals could not be loaded" />}</Page>;
  const [list, progs] = data;
  const groups = ORDER.map((s) => ({ s, items: list.filter((r) => r.status === s) })).filter((g) => g.items.length);
  return (
    <Page title={title} actions={filter}>
      {ctx.patient && (
        <p class="scope-note">
          Opened from {ctx.patient.name ?? 'a patient'}'s chart: only their referrals are shown. Open the app from the EHR without a patient to
          work the whole list.
        </p>
      )}
      <ErrorBox error={escalated.error} title="Escalated safety alerts could not be loaded" />
      {groups.length === 0 && <p>No referrals.</p>}
      {groups.map((g) => (
        <section key={g.s} aria-labelledby={`group-${g.s}`}>
          <h2 id={`group-${g.s}`}>
            {label(g.s)} ({g.items.length})
          </h2>
          {g.items.map((r) => (
            <ReferralItem key={r.id} r={r} progs={progs} onDone={reload} escalated={(escalated.data ?? []).filter((a) => a.patientId === r.patientId)} />
          ))}
        </section>
      ))}
    </Page>
  );
}

function ReferralItem({ r, progs, onDone, escalated }: { r: Referral; progs: Program[]; onDone(): void; escalated: AlertView[] }) {
  const checklist = progs.find((p) => p.slug === r.program.slug)?.current.eligibility ?? [];
  return (
    <article class="card" aria-labelledby={`ref-${r.id}`}>
      <h3 id={`ref-${r.id}`}>
        <PatientName id={r.patientId} /> — {r.program.title}
      </h3>
      <EscalatedAlertNotice alerts={escalated} />
      <p>
        <span class={`badge priority ${r.priority}`}>{priorityLabel(r.priority)}</span> · referred {formatDate(r.createdAt)} by <PersonName reference={r.requester} detail /> ·{' '}
        <a href={href(`patient/${r.patientId}`)}>
          Open patient<span class="visually-hidden"> record for this referral</span>
        </a>
      </p>
      <p>{r.reason}</p>
      {r.status === 'referred' && <ScreeningForm referral={r} checklist={checklist} onDone={onDone} />}
      {r.status === 'screened' && <DecisionForm referral={r} onDone={onDone} />}
      {r.status === 'accepted' && <EnrolForm referral={r} onDone={onDone} />}
      {r.decisionReason && <p>Reason: {r.decisionReason}</p>}
    </article>
  );
}
