import { useEffect } from 'preact/hooks';
import { api } from '../../lib/api';
import { formatDateTime, label } from '../../lib/format';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';

// Did what was done for this patient reach the EHR? Every write goes through the server's outbox; this panel
// says "all delivered", "N waiting", or what the EHR refused, in the EHR's own words, so a refusal is never
// silent. Coordinators also have the clinic-wide write-back problems page; admins retry.

export interface WriteBackProblem {
  id: string; kind: string; createdAt: string; at: string; status: number; reason: string; message: string; retryable: boolean;
}
export interface PatientWriteBack {
  state: 'delivered' | 'waiting' | 'failed'; delivered: number; waiting: number; oldestWaitingSeconds: number | null;
  failedCount: number; failed: WriteBackProblem[]; retrying: WriteBackProblem[];
}

/** While writes wait, look again this often, so the line turns to delivered (or failed) on its own. */
const POLL_MS = 5000;

const WHAT: Record<string, string> = {
  'referral.created': 'Referral',
  'enrolment.created': 'Enrolment',
  'enrolment.withdrawn': 'Withdrawal',
  'enrolment.completed': 'Program completion',
  'session.encounter': 'Session attendance',
  'safety-alert.raised': 'Safety alert',
  'safety-alert.followed-up': 'Safety alert follow-up',
  'safety-alert.escalated': 'Safety alert escalation',
  // The EHR's own Task a launch opened the form for, completed once the answers are on the EHR.
  'task-completion': "Completing the EHR's task",
};
const WHAT_PREFIX: Record<string, string> = {
  referral: 'Referral update',
  enrolment: 'Enrolment update',
  session: 'Session update',
  'questionnaire-response': 'Questionnaire answers',
  'questionnaire-task': 'Questionnaire due',
};

export function describeKind(kind: string): string {
  return WHAT[kind] ?? WHAT_PREFIX[kind.split('.')[0]] ?? label(kind);
}

/** 340 → "6 min". */
export function formatAge(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

const updates = (n: number) => (n === 1 ? '1 update' : `${n} updates`);

function waitingText(s: PatientWriteBack): string {
  const age = s.oldestWaitingSeconds === null ? '' : ` (oldest ${formatAge(s.oldestWaitingSeconds)})`;
  return `${updates(s.waiting)} waiting to reach the EHR${age}.`;
}

/** The live status line: an icon and words, never colour alone. */
function statusLine(s: PatientWriteBack): { icon: string; text: string } {
  if (s.state === 'failed') {
    const only = s.failedCount === 1 ? s.failed[0] : undefined;
    const text = only
      ? only.retryable
        ? `1 update could not be delivered to the EHR after repeated tries: “${only.message}”.`
        : `1 update was refused by the EHR: “${only.message}”.`
      : `${s.failedCount} updates did not reach the EHR.`;
    return { icon: '⚠', text: `${text} The care coordinator sees it on the write-back problems page; an admin can send it again.` };
  }
  if (s.state === 'waiting') return { icon: '◷', text: waitingText(s) }; // U+25F7, in common fonts (⏳ is an emoji many clinic machines lack: a box)
  if (s.delivered === 0) return { icon: '✓', text: 'No updates for the EHR yet.' };
  return { icon: '✓', text: s.delivered === 1 ? '1 update reached the EHR.' : `All ${s.delivered} updates reached the EHR.` };
}

export function WriteBackStatus({ patientId, refreshKey }: { patientId: string; refreshKey: number }) {
  const { data, error, loading, reload } = useLoad(() => api.get<PatientWriteBack>(`/api/patients/${encodeURIComponent(patientId)}/write-back`), [patientId, refreshKey]);
  useEffect(() => {
    if (data?.state !== 'waiting') return;
    const timer = setTimeout(() => void reload(), POLL_MS);
    return () => clearTimeout(timer);
  }, [data, reload]);
  if (loading && !data) return <Loading what="EHR update status" />;
  if (error && !data) return <ErrorBox error={error} title="Whether updates reached the EHR could not be checked" />;
  if (!data) return null;
  const line = statusLine(data);
  const failed = data.state === 'failed';
  return (
    <section aria-labelledby="write-back-heading" class={failed ? 'card alert-card' : 'card'} data-state={data.state}>
      <h2 id="write-back-heading">Updates to the EHR</h2>
      <p role="status">
        <span aria-hidden="true">{line.icon}</span> <strong>{line.text}</strong>
      </p>
      {failed && data.waiting > 0 && <p>Also {waitingText(data)}</p>}
      {failed && data.failedCount > 1 && <ProblemList title="Updates that did not reach the EHR" items={data.failed} dead />}
      {failed && data.failedCount > data.failed.length && <p>The {data.failed.length} most recent are shown.</p>}
      {data.retrying.length > 0 && <ProblemList title="Being retried" items={data.retrying} dead={false} />}
    </section>
  );
}

function ProblemList({ title, items, dead }: { title: string; items: WriteBackProblem[]; dead: boolean }) {
  const how = (p: WriteBackProblem) => (!dead ? 'retrying' : p.retryable ? 'given up after repeated tries' : 'refused');
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {items.map((p) => (
          <li key={p.id}>
            {describeKind(p.kind)} of {formatDateTime(p.createdAt)} — {how(p)}: “{p.message}”{p.status ? ` (HTTP ${p.status})` : ''}.
          </li>
        ))}
      </ul>
    </>
  );
}
