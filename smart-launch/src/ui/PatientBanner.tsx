import type { PatientBannerData } from '../lib/context';
import { formatDate } from '../lib/format';

/**
 * Who this screen is about, shown when the EHR asks for it (need_patient_banner) or when the app is not
 * inside an EHR that already shows one. Name, birth date, sex and MRN: enough to confirm the right person.
 */
export function PatientBanner({ patient }: { patient: PatientBannerData }) {
  return (
    <section class="patient-banner" aria-label="Patient">
      <p class="banner-name">{patient.name ?? 'Name not recorded'}</p>
      <dl class="banner-facts">
        <div>
          <dt>Born</dt>
          <dd>{patient.birthDate ? formatDate(patient.birthDate) : 'not recorded'}</dd>
        </div>
        <div>
          <dt>Sex</dt>
          <dd>{patient.gender ?? 'not recorded'}</dd>
        </div>
        <div>
          <dt>MRN</dt>
          <dd>{patient.mrn ?? 'not recorded'}</dd>
        </div>
      </dl>
    </section>
  );
}
