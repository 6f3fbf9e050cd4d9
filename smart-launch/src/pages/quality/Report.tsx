import { useState } from 'preact/hooks';
import { ApiError, query } from '../../lib/api';
import { download } from '../../lib/download';
import { programs } from '../../lib/programs';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useAction, useLoad } from '../../ui/use-load';

// The outcome report (issue 6) for quality teams: filters, the de-identified HTML report with its SVG
// charts (served by the service, shown in a same-origin frame sized to its content) and the exports.

interface Filters { program: string; version: string; from: string; to: string; participantType: string; answerMode: string }

const EMPTY: Filters = { program: '', version: '', from: '', to: '', participantType: '', answerMode: '' };

export function Report() {
  const progs = useLoad(() => programs.list(), []);
  const [form, setForm] = useState<Filters>(EMPTY);
  const [shown, setShown] = useState<Filters | null>(null);
  const [height, setHeight] = useState(900);
  const exporting = useAction();
  if (progs.loading && !progs.data) return <Page title="Outcome report">{<Loading what="programs" />}</Page>;
  const list = progs.data ?? [];
  const current = { ...form, program: form.program || list[0]?.slug || '' };
  // The report opens at once for the first program; the filters apply when the form is sent.
  const active = shown ?? { ...EMPTY, program: list[0]?.slug ?? '' };
  const url = (format: string) => `/api/reports/outcomes${query({ ...active, format })}`;
  const set = (k: keyof Filters) => (e: Event) => setForm({ ...current, [k]: (e.currentTarget as HTMLInputElement).value });
  // A download is fetched first: a refusal (a participant-level CSV over too few people) shows its reason here
  // instead of saving the service's error as the file.
  const save = (format: string, name: string) => (e: Event) => {
    e.preventDefault();
    void exporting.run(() => download(url(format), name));
  };
  const fit = (e: Event) => {
    const doc = (e.currentTarget as HTMLIFrameElement).contentDocument;
    if (doc?.documentElement) setHeight(doc.documentElement.scrollHeight + 24);
  };
  return (
    <Page title="Outcome report">
      <ErrorBox error={progs.error} />
      <form onSubmit={(e) => (e.preventDefault(), setShown(current))} aria-label="Report filters" noValidate>
        <div class="form-grid">
          <Field id="rep-program" label="Program">
            <select id="rep-program" value={current.program} onChange={set('program')}>
              {list.map((p) => <option key={p.slug} value={p.slug}>{p.current.title}</option>)}
            </select>
          </Field>
          <Field id="rep-version" label="Version (optional)" hint="e.g. 1.0.0; all versions when empty">
            <input id="rep-version" aria-describedby="rep-version-hint" value={current.version} onInput={set('version')} />
          </Field>
          <Field id="rep-from" label="Referred from"><input id="rep-from" type="date" value={current.from} onInput={set('from')} /></Field>
          <Field id="rep-to" label="Referred until"><input id="rep-to" type="date" value={current.to} onInput={set('to')} /></Field>
          <Field id="rep-type" label="Participants">
            <select id="rep-type" value={current.participantType} onChange={set('participantType')}>
              <option value="">Patients and caregivers</option><option value="patient">Patients</option><option value="caregiver">Caregivers</option>
            </select>
          </Field>
          <Field id="rep-mode" label="Answers">
            <select id="rep-mode" value={current.answerMode} onChange={set('answerMode')}>
              <option value="">Self-report and proxy</option><option value="self">Self-report only</option><option value="proxy">Proxy only</option>
            </select>
          </Field>
        </div>
        <button type="submit" class="primary">Show report</button>
      </form>
      <section aria-labelledby="exports-heading">
        <h2 id="exports-heading">Exports (de-identified)</h2>
        <ul class="actions exports">
          <li><a class="button secondary" href={url('csv')} download onClick={save('csv', 'outcomes.csv')}>CSV, one row per participant and timepoint</a></li>
          <li><a class="button secondary" href={url('measure-report')} download="measure-report.json" onClick={save('measure-report', 'measure-report.json')}>FHIR MeasureReport</a></li>
          <li><a class="button secondary" href={url('json')} download="outcome-report.json" onClick={save('json', 'outcome-report.json')}>JSON</a></li>
          <li><a class="button secondary" href={url('html')} target="_blank" rel="noopener">HTML report in a new tab</a></li>
        </ul>
        {exporting.busy && <Loading what="the export" />}
        <ExportRefused error={exporting.error} />
      </section>
      {active.program && (
        <iframe class="report-frame" title={`Outcome report: ${list.find((p) => p.slug === active.program)?.current.title ?? active.program}`} src={url('html')} onLoad={fit} style={{ height: `${height}px` }} />
      )}
    </Page>
  );
}

/** Why an export was refused, in words; the participant-level CSV's small-population refusal says what to do. */
function ExportRefused({ error }: { error: ApiError | Error | null }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.outcome.issue[0]?.details?.coding?.[0]?.code : undefined;
  if (code !== 'REPORTS.POPULATION_TOO_SMALL') return <ErrorBox error={error} title="The export did not work" />;
  const reasons = (error as ApiError).outcome.issue.map((i) => i.details?.text ?? i.diagnostics).filter(Boolean);
  return (
    <div class="error-summary" role="alert">
      <p class="error-title">The CSV was not exported: too few participants</p>
      <p>
        The CSV has one row per participant, so it is refused when these filters cover too few people to share without identifying
        anyone{reasons.length ? ` (${reasons.join('; ')})` : ''}. Nothing was downloaded.
      </p>
      <p>Widen the filters (all versions, a longer period, patients and caregivers), or use the JSON, MeasureReport or HTML report, which hide small counts instead.</p>
    </div>
  );
}
