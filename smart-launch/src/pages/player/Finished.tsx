import { useT } from '../../lib/i18n';
import type { SaveView } from '../../lib/responses';
import type { CrisisText } from '../../player/SafetyMessage';
import { usePageAssist, useSavedSettings } from '../../player/use-page-assist';
import { Page } from '../../ui/Page';
import { LastPageSafety } from './LastPageSafety';

interface Props {
  title: string;
  kind: 'submitted' | 'saved';
  result?: SaveView;
  backHref: string;
  showScores: boolean;
  /** A line for staff (English), e.g. that the EHR's Task was not marked done. */
  staffNote?: string;
  /** Crisis information the last save carried, still shown unless the person closed it. */
  safetyMessage?: CrisisText | null;
  onDismissSafety?(): void;
}

/**
 * After submit (or "finish later"): a calm confirmation; for a clinician also the scores and any safety
 * alert the answers raised, so it is seen at once, before anyone leaves the room. Switch scanning and dwell
 * go on here (Continue, then the header's Sign out), so a person answering alone also finishes alone.
 */
export function Finished(p: Props) {
  const t = useT();
  const settings = useSavedSettings();
  usePageAssist(settings, true, `${p.kind}:${p.safetyMessage ? 'safety' : ''}`);
  const alerts = p.result?.alerts.filter((a) => a.status === 'open') ?? [];
  return (
    <Page title={t(p.kind === 'submitted' ? 'Thank you — the answers were sent' : 'The answers are saved')}>
      <LastPageSafety message={p.safetyMessage} onDismiss={p.onDismissSafety} />
      {alerts.length > 0 && p.showScores && (
        // Shown to clinicians only (showScores): staff words, in English.
        <div class="error-summary alert-card" role="alert" lang="en">
          <p class="error-title">Safety alert</p>
          <ul>
            {alerts.map((a) => (
              <li key={a.id}>{a.message}</li>
            ))}
          </ul>
        </div>
      )}
      <p>{p.kind === 'submitted' ? t('{title} is complete.', { title: p.title }) : t('You can come back and finish at any time; nothing was lost.')}</p>
      {p.staffNote && (
        <p class="caution" lang="en">
          {p.staffNote}
        </p>
      )}
      {p.showScores && p.result && p.result.scores.length > 0 && (
        <ul class="scores" lang="en">
          {p.result.scores.map((s) => (
            <li key={s.linkId}>
              {s.code.display ?? s.linkId}: <strong>{s.value ?? 'not scored'}</strong>
              {s.band?.display ? ` — ${s.band.display}` : ''}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a class="button primary" href={p.backHref} data-scan="1" data-dwell>
          {t('Continue')}
        </a>
      </p>
    </Page>
  );
}
