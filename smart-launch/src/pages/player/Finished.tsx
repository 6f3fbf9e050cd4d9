import type { SaveView } from '../../lib/responses';
import { Page } from '../../ui/Page';

/**
 * After submit (or "finish later"): a calm confirmation; for a clinician also the scores and any safety
 * alert the answers raised, so it is seen at once, before anyone leaves the room.
 */
export function Finished(p: { title: string; kind: 'submitted' | 'saved'; result?: SaveView; backHref: string; showScores: boolean }) {
  const alerts = p.result?.alerts.filter((a) => a.status === 'open') ?? [];
  return (
    <Page title={p.kind === 'submitted' ? 'Thank you — the answers were sent' : 'The answers are saved'}>
      {alerts.length > 0 && p.showScores && (
        <div class="error-summary alert-card" role="alert">
          <p class="error-title">Safety alert</p>
          <ul>
            {alerts.map((a) => (
              <li key={a.id}>{a.message}</li>
            ))}
          </ul>
        </div>
      )}
      <p>{p.kind === 'submitted' ? `${p.title} is complete.` : 'You can come back and finish at any time; nothing was lost.'}</p>
      {p.showScores && p.result && p.result.scores.length > 0 && (
        <ul class="scores">
          {p.result.scores.map((s) => (
            <li key={s.linkId}>
              {s.code.display ?? s.linkId}: <strong>{s.value ?? 'not scored'}</strong>
              {s.band?.display ? ` — ${s.band.display}` : ''}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a class="button primary" href={p.backHref}>
          Continue
        </a>
      </p>
    </Page>
  );
}
