import { formatDate } from '../../lib/format';
import { useLanguageChoice, useT } from '../../lib/i18n';
import type { CrisisText } from '../../player/SafetyMessage';
import { usePageAssist, useSavedSettings } from '../../player/use-page-assist';
import { Page } from '../../ui/Page';
import type { DueForm } from './due-forms';
import { LastPageSafety } from './LastPageSafety';

/**
 * Instead of the player, when the form cannot be answered: not open yet (it would be refused, so nobody
 * starts it), already complete, cancelled, or refused by the server while being answered.
 */
export function Unavailable(p: {
  title: string;
  form?: DueForm;
  refused?: boolean;
  backHref: string;
  /** Crisis information shown while answering: this is the last page, so it is shown here too (closed or not). */
  safetyMessage?: CrisisText | null;
  onDismissSafety?(): void;
}) {
  const t = useT();
  const { lang } = useLanguageChoice();
  const settings = useSavedSettings();
  usePageAssist(settings, true, `unavailable:${p.safetyMessage ? 'safety' : ''}`);
  const notYet = p.form?.availability === 'not-yet-open';
  const heading = t(notYet ? 'This questionnaire is not open yet' : 'This questionnaire cannot be answered now');
  return (
    <Page title={heading}>
      <LastPageSafety message={p.safetyMessage} onDismiss={p.onDismissSafety} />
      <p>
        {notYet
          ? t('{title} opens on {date}. Please come back then; there is nothing to do before that day.', { title: p.title, date: formatDate(p.form!.dueFrom, lang) })
          : p.refused
            ? // The server's refusal (QUESTIONNAIRES.ASSIGNMENT_UNAVAILABLE) in the person's words; its text is for staff.
              t('This questionnaire was closed, or answered on another screen, while it was open here.')
            : t(p.form?.status === 'completed' ? '{title} is already complete. Thank you!' : '{title} is no longer needed.', { title: p.title })}
      </p>
      <p>
        <a class="button primary" href={p.backHref} data-scan="1" data-dwell>
          {t('Continue')}
        </a>
      </p>
    </Page>
  );
}
