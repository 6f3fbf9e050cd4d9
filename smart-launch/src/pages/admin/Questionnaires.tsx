import { label } from '../../lib/format';
import { questionnaires } from '../../lib/responses';
import { scoreName } from '../../lib/score-names';
import { href } from '../../lib/router';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { JsonForm } from './JsonForm';

/** The instrument library, built-in and imported, with a preview in the player and the import of a clinic's own. */
export function QuestionnaireLibrary() {
  // Each form too, for its scores' own short names ("PHQ-9 total score", not the LOINC long name).
  const { data, error, loading, reload } = useLoad(async () => {
    const list = await questionnaires.list();
    const forms = await Promise.all(list.map((q) => (q.scores.length ? questionnaires.get(q.canonical).catch(() => undefined) : undefined)));
    return list.map((q, i) => ({ ...q, form: forms[i] }));
  }, []);
  return (
    <Page title="Questionnaire library">
      {loading && !data && <Loading what="the library" />}
      <ErrorBox error={error} />
      {data && (
        <table class="stack">
          <caption>Questionnaire versions</caption>
          <thead>
            <tr><th scope="col">Title</th><th scope="col">Version</th><th scope="col">Origin</th><th scope="col">Scores</th><th scope="col">Safety rules</th><th scope="col"><span class="visually-hidden">Preview</span></th></tr>
          </thead>
          <tbody>
            {data.map((q) => (
              <tr key={q.canonical}>
                <th scope="row">{q.title ?? q.name ?? q.slug}</th>
                <td data-label="Version">{q.version}</td>
                <td data-label="Origin">{label(q.origin)}</td>
                <td data-label="Scores">
                  {q.scores.length === 0
                    ? 'None'
                    : q.scores.map((s) => `${scoreName(s, q.form)} (${s.min}–${s.max}${s.bands.length ? `, ${s.bands.length} bands` : ''})`).join('; ')}
                </td>
                <td data-label="Safety rules">{q.safetyRules.map((r) => `${label(r.id)} (${label(r.severity).toLowerCase()})`).join(', ') || 'None'}</td>
                <td>
                  <a href={href(`answer/${encodeURIComponent(q.canonical)}`, { preview: '1', return: 'admin/questionnaires' })}>
                    Preview<span class="visually-hidden"> {q.title ?? q.slug}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <JsonForm id="import" title="Import a clinic's own questionnaire" label="FHIR Questionnaire, or { questionnaire, scores, safetyRules } (JSON)"
        hint="Licensed instruments are never bundled: load one your clinic holds the rights to. It is validated and versioned."
        initial="" submitLabel="Import" send={questionnaires.import} onDone={reload} />
    </Page>
  );
}
