import { formatDate } from '../../lib/format';
import { usePageAssist, useSavedSettings } from '../../player/use-page-assist';
import { Page } from '../../ui/Page';
import type { DueForm } from './due-forms';

/**
 * Instead of the player, when the form cannot be answered: not open yet (it would be refused, so nobody
 * starts it), already complete, cancelled, or refused by the server while being answered.
 */
export function Unavailable(p: { title: string; form?: DueForm; reason?: string; backHref: string }) {
  const settings = useSavedSettings();
  usePageAssist(settings, true, 'unavailable');
  const notYet = p.form?.availability === 'not-yet-open';
  const heading = notYet ? 'This questionnaire is not open yet' : 'This questionnaire cannot be answered now';
  return (
    <Page title={heading}>
      <p>
        {notYet
          ? `${p.title} opens on ${formatDate(p.form!.dueFrom)}. Please come back then; there is nothing to do before that day.`
          : p.reason ?? (p.form?.status === 'completed' ? `${p.title} is already complete. Thank you!` : `${p.title} is no longer needed.`)}
      </p>
      <p>
        <a class="button primary" href={p.backHref} data-scan="1" data-dwell>
          Continue
        </a>
      </p>
    </Page>
  );
}
