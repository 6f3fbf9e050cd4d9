import { useApp } from '../lib/context';
import { formatDate } from '../lib/format';
import { useLanguageChoice, useT, type T } from '../lib/i18n';
import { questionnaires } from '../lib/responses';
import { href } from '../lib/router';
import { SettingsPanel } from '../player/SettingsPanel';
import { useSettings } from '../player/settings';
import { usePageAssist } from '../player/use-page-assist';
import { Page } from '../ui/Page';
import { listProblem } from '../lib/patient-problems';
import { ErrorBox, Loading } from '../ui/Status';
import { useLoad } from '../ui/use-load';
import { findInstrument } from './patient/FormsPanel';
import { dueForms, type DueForm } from './player/due-forms';
import { LanguageSwitch } from './player/LanguageSwitch';

/** A timepoint's name in the person's language. */
function timepointName(t: T, code: string): string {
  switch (code) {
    case 'baseline':
      return t('Baseline');
    case 'mid':
      return t('Mid');
    case 'post':
      return t('Post');
    case 'follow-up':
      return t('Follow-up');
    default:
      return code;
  }
}

/**
 * A patient's or caregiver's own forms (standalone launch). What can be answered today comes first, each one
 * large target to the player (overdue ones say so in words); forms whose window has not opened are listed
 * apart, with the day they open and nothing to press. With switch scanning or dwell (the player's settings,
 * also offered here) the highlight steps through the forms, then the header's "Sign out". In the person's language
 * (issue 15), which they can change here as in the player.
 */
export function MyForms() {
  const ctx = useApp();
  const t = useT();
  const { lang, choose } = useLanguageChoice();
  const [settings, update] = useSettings();
  const { data, error, loading } = useLoad(() => Promise.all([dueForms.list(), questionnaires.list()]), []);
  usePageAssist(settings, !!data, data ? 'forms' : 'loading');
  if (loading && !data) return <Page title={t('My questionnaires')}>{<Loading text={t('Loading your questionnaires…')} />}</Page>;
  if (error || !data) {
    return (
      <Page title={t('My questionnaires')}>
        <ErrorBox error={error} title={t('That did not work')} lines={[listProblem(error, t)]} />
      </Page>
    );
  }
  const [due, library] = data;
  const titleOf = (a: DueForm) => findInstrument(library, a.questionnaire)?.title ?? a.questionnaire;
  // A caregiver sees their own forms and the ones they enter for the patient: each says whom it is about.
  const mixed = new Set(due.map((a) => a.subject)).size > 1;
  const about = (a: DueForm) =>
    !mixed ? '' : `${a.subject === ctx.user.fhirUser ? t('About you') : t('About {name}', { name: ctx.patient?.name ?? t('the patient') })} · `;
  const open = due.filter((a) => a.availability === 'open');
  const later = due.filter((a) => a.availability === 'not-yet-open');
  return (
    <Page title={t('My questionnaires')}>
      <p>{t('Hello {name}. Take your time: answers are saved after every question, and you can stop and come back whenever you like.', { name: ctx.user.displayName })}</p>
      <div class="player-bar">
        <SettingsPanel settings={settings} update={update} />
        <LanguageSwitch lang={lang} onChoose={choose} />
      </div>
      <section aria-labelledby="open-forms-heading">
        <h2 id="open-forms-heading">{t('Open now')}</h2>
        {open.length === 0 ? (
          <p>{t('Nothing to answer right now. Thank you!')}</p>
        ) : (
          <ul class="options form-list">
            {open.map((a) => (
              <li key={a.id}>
                <a
                  class="option"
                  data-scan="1"
                  data-dwell
                  href={href(`answer/${encodeURIComponent(a.questionnaire)}`, { subject: a.subject, assignment: a.id, response: a.responseId ?? undefined, return: 'forms' })}
                >
                  <span class="option-label">
                    {t(a.responseId ? 'Continue: {title}' : 'Start: {title}', { title: titleOf(a) })}
                    <span class="option-hint">
                      {about(a)}
                      {timepointName(t, a.timepoint)} ·{' '}
                      {a.overdue ? (
                        <>
                          <span class="badge overdue">{t('Overdue')}</span> {t('it was due by {date}; you can still answer it', { date: formatDate(a.dueUntil, lang) })}
                        </>
                      ) : (
                        t('until {date}', { date: formatDate(a.dueUntil, lang) })
                      )}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      {later.length > 0 && (
        <section aria-labelledby="later-forms-heading">
          <h2 id="later-forms-heading">{t('Not open yet')}</h2>
          <p>{t('These open later. They cannot be started before the day they open.')}</p>
          <ul class="later-list">
            {later.map((a) => (
              <li key={a.id}>
                <strong>{titleOf(a)}</strong> · {about(a)}
                {timepointName(t, a.timepoint)} · {t('opens on {date}', { date: formatDate(a.dueFrom, lang) })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
