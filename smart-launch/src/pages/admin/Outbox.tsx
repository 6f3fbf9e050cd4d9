import { useState } from 'preact/hooks';
import { outbox, type OutboxDetail, type OutboxSummary } from '../../lib/admin';
import { count, formatDateTime, label } from '../../lib/format';
import { isOutcome, issueText } from '../../lib/outcome';
import { describeKind } from '../patient/WriteBackStatus';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading, Notice } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';

/** The write-back queue: what waits, what failed for good (dead letters, with the EHR's answer), retry. */
export function Outbox({ title = 'Write-back queue', initialStatus = '' }: { title?: string; initialStatus?: string }) {
  const [status, setStatus] = useState(initialStatus);
  const { data, error, loading, reload } = useLoad(() => outbox.list({ status: status || undefined }), [status]);
  return (
    <Page title={title}>
      <div class="field">
        <label for="outbox-status">Show</label>
        <select id="outbox-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">Everything</option>
          <option value="dead">Dead letters (need a person)</option>
          <option value="pending">Waiting</option>
          <option value="in_flight">Being sent</option>
          <option value="delivered">Delivered</option>
        </select>
      </div>
      {loading && !data && <Loading what="the queue" />}
      <ErrorBox error={error} title="The queue could not be loaded" />
      {data && data.items.length === 0 && <p>Nothing here.</p>}
      {data?.items.map((e) => <Entry key={e.id} e={e} onDone={reload} />)}
    </Page>
  );
}

function Entry({ e, onDone }: { e: OutboxSummary; onDone(): void }) {
  const [detail, setDetail] = useState<OutboxDetail | null>(null);
  const action = useAction();
  const retry = async () => {
    if (await action.run(() => outbox.retry(e.id), 'Queued again.')) onDone();
  };
  const show = async () => setDetail(detail ? null : ((await action.run(() => outbox.get(e.id))) ?? null));
  return (
    <article class="card" aria-labelledby={`ob-${e.id}`}>
      <h2 id={`ob-${e.id}`} class="h3">
        {describeKind(e.kind)} <span class={`badge ${e.status}`}>{label(e.status)}</span>
      </h2>
      <p>
        Created {formatDateTime(e.createdAt)} · {count(e.attempts, 'attempt')}
        {e.status === 'delivered' ? ` · delivered ${formatDateTime(e.deliveredAt)}` : e.status === 'pending' ? ` · next try ${formatDateTime(e.nextAttemptAt)}` : ''}
      </p>
      {e.lastError && (
        <p>
          Last error: HTTP {e.lastError.status ?? '—'} {e.lastError.reason ?? ''}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary small" aria-expanded={!!detail} onClick={show}>
          {detail ? 'Hide details' : 'Details'}<span class="visually-hidden"> of this write-back</span>
        </button>
        {e.status === 'dead' && (
          <button type="button" class="primary small" onClick={retry} disabled={action.busy}>
            Retry
          </button>
        )}
        <Notice>{action.done}</Notice>
      </div>
      <ErrorBox error={action.error} />
      {detail && <Details detail={detail} />}
    </article>
  );
}

interface BundleLike { entry?: { resource?: { resourceType?: string }; request?: { method?: string; url?: string }; response?: { status?: string; location?: string } }[] }
const VERB: Record<string, string> = { POST: 'Create', PUT: 'Create or update', PATCH: 'Change', DELETE: 'Delete', GET: 'Read' };

/** What was sent and what the EHR answered, in words; the raw JSON only as a file for the EHR team. */
function Details({ detail }: { detail: OutboxDetail }) {
  const sent = ((detail.bundle ?? {}) as BundleLike).entry ?? [];
  const answer = detail.lastError?.outcome ?? detail.response;
  const answered = ((answer ?? {}) as BundleLike).entry ?? [];
  const saveJson = () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify({ sent: detail.bundle, answer }, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `write-back-${detail.id}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return (
    <>
      <h3>What the EHR answered</h3>
      {isOutcome(answer) ? (
        <ul>{answer.issue.map((i, n) => <li key={n}>{issueText(i)}</li>)}</ul>
      ) : answered.length ? (
        <ul>{answered.map((x, n) => <li key={n}>{sent[n]?.resource?.resourceType ?? 'Entry'}: {x.response?.status ?? 'no status'}</li>)}</ul>
      ) : (
        <p>{detail.status === 'delivered' ? 'Accepted.' : 'Nothing yet.'}</p>
      )}
      <h3>What was sent ({count(sent.length, 'resource')})</h3>
      <ul>{sent.map((x, n) => <li key={n}>{VERB[x.request?.method ?? ''] ?? 'Send'} {x.resource?.resourceType ?? 'resource'}</li>)}</ul>
      <button type="button" class="secondary small" onClick={saveJson}>
        Save as a file for the EHR team<span class="visually-hidden"> (JSON)</span>
      </button>
    </>
  );
}
