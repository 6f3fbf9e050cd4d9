import { useState } from 'preact/hooks';
import { outbox, type OutboxDetail, type OutboxSummary } from '../../lib/admin';
import { formatDateTime, label } from '../../lib/format';
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
        {label(e.kind)} <span class={`badge ${e.status}`}>{label(e.status)}</span>
      </h2>
      <p>
        Created {formatDateTime(e.createdAt)} · {e.attempts} attempt{e.attempts === 1 ? '' : 's'}
        {e.status === 'delivered' ? ` · delivered ${formatDateTime(e.deliveredAt)}` : e.status === 'pending' ? ` · next try ${formatDateTime(e.nextAttemptAt)}` : ''}
      </p>
      {e.lastError && (
        <p>
          Last error: HTTP {e.lastError.status ?? '—'} {e.lastError.reason ?? ''}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary small" aria-expanded={!!detail} onClick={show}>
          {detail ? 'Hide details' : 'Details'}
        </button>
        {e.status === 'dead' && (
          <button type="button" class="primary small" onClick={retry} disabled={action.busy}>
            Retry
          </button>
        )}
        <Notice>{action.done}</Notice>
      </div>
      <ErrorBox error={action.error} />
      {detail && (
        <>
          <h3>What the EHR answered</h3>
          <pre>{JSON.stringify(detail.lastError?.outcome ?? detail.response ?? null, null, 2)}</pre>
          <h3>The Bundle sent ({detail.patientKey})</h3>
          <pre>{JSON.stringify(detail.bundle, null, 2)}</pre>
        </>
      )}
    </article>
  );
}
