import type { PatientBannerData } from '../lib/context';
import { formatDate } from '../lib/format';
import { translate, type Lang, type T } from '../lib/i18n';

/** FHIR administrative gender (a required binding) in words; any other code as the EHR sent it. */
export function genderName(code: string | null | undefined, t: T): string {
  switch (code) {
    case 'female':
      return t('Female');
    case 'male':
      return t('Male');
    case 'other':
      return t('Other');
    case 'unknown':
      return t('Unknown');
    case null:
    case undefined:
    case '':
      return t('not recorded');
    default:
      return code;
  }
}

/**
 * Who this screen is about, shown when the EHR asks for it (need_patient_banner) or when the app is not
 * inside an EHR that already shows one. Name, birth date, sex and MRN: enough to confirm the right person.
 * In the screen's language (a patient reads it above their form), English on staff screens.
 */
export function PatientBanner({ patient, lang = 'en' }: { patient: PatientBannerData; lang?: Lang }) {
  const t: T = (text, vars) => translate(lang, text, vars);
  return (
    <section class="patient-banner" aria-label={t('Patient')} lang={lang}>
      <p class="banner-name">{patient.name ?? t('Name not recorded')}</p>
      <dl class="banner-facts">
        <div>
          <dt>{t('Born')}</dt>
          <dd>{patient.birthDate ? formatDate(patient.birthDate, lang) : t('not recorded')}</dd>
        </div>
        <div>
          <dt>{t('Sex')}</dt>
          <dd>{genderName(patient.gender, t)}</dd>
        </div>
        <div>
          <dt>{t('MRN')}</dt>
          <dd>{patient.mrn ?? t('not recorded')}</dd>
        </div>
      </dl>
    </section>
  );
}
