import { outbox } from '../../lib/admin';
import { formatDateTime } from '../../lib/format';
import { describeKind } from '../patient/WriteBackStatus';
import { PersonName } from './PersonName';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';

/**
 * Write-back problems: what the EHR refused for good, per patient, with its answer, so the coordinator can
 * sort it out with the EHR team. Retrying is an admin's (the write-back queue page).
 */
export function Problems() {
  const { data, error, loading } = useLoad(() => outbox.problems(), []);
  return (
    <Page title="Write-back problems">
      {loading && !data && <Loading what="write-back problems" />}
      <ErrorBox error={error} title="The write-back problems could not be loaded" />
      {data && data.length === 0 && <p>Nothing is stuck: everything reached the EHR or is on its way.</p>}
      {data && data.length > 0 && (
        <table class="stack">
          <caption>Writes the EHR refused</caption>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">What</th>
              <th scope="col">Since</th>
              <th scope="col">The EHR's answer</th>
            </tr>
          </thead>
          <tbody>
            {data.map((e) => (
              <tr key={e.id}>
                <th scope="row"><PersonName reference={e.patientKey} /></th>
                <td data-label="What">{describeKind(e.kind)}</td>
                <td data-label="Since">{formatDateTime(e.createdAt)}</td>
                <td data-label="The EHR's answer">
                  {e.lastError?.reason ? `${e.lastError.reason} ` : ''}
                  {e.lastError?.status ? `(HTTP ${e.lastError.status})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
