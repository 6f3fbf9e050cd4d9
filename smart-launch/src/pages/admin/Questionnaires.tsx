import { questionnaires } from '../../lib/responses';
import { href } from '../../lib/router';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { JsonForm } from './JsonForm';

/** The instrument library, built-in and imported, with a preview in the player and the import of a clinic's own. */
export function QuestionnaireLibrary() {
  const { data, error, loading, reload } = useLoad(() => questionnaires.list(), []);
  return (
    <Page title="Questionnaire library">
      {loading && !data && <Loading what="the library" />}
      <ErrorBox error={error} />
      {data && (
        <div class="table-wrap">
          <table>
            <caption>Questionnaire versions</caption>
            <thead>
              <tr><th scope="col">Title</th><th scope="col">Version</th><th scope="col">Origin</th><th scope="col">Scores (bands)</th><th scope="col">Safety rules</th><th scope="col"><span class="visually-hidden">Preview</span></th></tr>
            </thead>
            <tbody>
              {data.map((q) => (
                <tr key={q.canonical}>
                  <th scope="row">{q.title ?? q.name ?? q.slug}</th>
                  <td>{q.version}</td>
                  <td>{q.origin}</td>
                  <td>{q.scores.map((s) => `${s.code.display ?? s.linkId} ${s.min}–${s.max} (${s.bands.length})`).join('; ') || '—'}</td>
                  <td>{q.safetyRules.map((r) => `${r.id} (${r.severity})`).join(', ') || '—'}</td>
                  <td>
                    <a href={href(`answer/${encodeURIComponent(q.canonical)}`, { preview: '1', return: 'admin/questionnaires' })}>
                      Preview<span class="visually-hidden"> {q.title ?? q.slug}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <JsonForm id="import" title="Import a clinic's own questionnaire" label="FHIR Questionnaire, or { questionnaire, scores, safetyRules } (JSON)"
        hint="Licensed instruments are never bundled: load one your clinic holds the rights to. It is validated and versioned."
        initial="" submitLabel="Import" send={questionnaires.import} onDone={reload} />
    </Page>
  );
}
