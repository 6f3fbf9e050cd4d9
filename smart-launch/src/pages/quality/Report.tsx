import { useState } from 'preact/hooks';
import { query } from '../../lib/api';
import { programs } from '../../lib/programs';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';

// The outcome report (issue 6) for quality teams: filters, the de-identified HTML report with its SVG
// charts (served by the service, shown in a same-origin frame sized to its content) and the exports.

interface Filters { program: string; version: string; from: string; to: string; participantType: string; answerMode: string }

const EMPTY: Filters = { program: '', version: '', from: '', to: '', participantType: '', answerMode: '' };

export function Report() {
  const progs = useLoad(() => programs.list(), []);
  const [form, setForm] = useState<Filters>(EMPTY);
  const [shown, setShown] = useState<Filters | null>(null);
  const [height, setHeight] = useState(900);
  if (progs.loading && !progs.data) return <Page title="Outcome report">{<Loading what="programs" />}</Page>;
  const list = progs.data ?? [];
  const current = { ...form, program: form.program || list[0]?.slug || '' };
  // The report opens at once for the first program; the filters apply when the form is sent.
  const active = shown ?? { ...EMPTY, program: list[0]?.slug ?? '' };
  const url = (format: string) => `/api/reports/outcomes${query({ ...active, format })}`;
  const set = (k: keyof Filters) => (e: Event) => setForm({ ...current, [k]: (e.currentTarget as HTMLInputElement).value });
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
          <li><a class="button secondary" href={url('csv')} download>CSV, one row per participant and timepoint</a></li>
          <li><a class="button secondary" href={url('measure-report')} download="measure-report.json">FHIR MeasureReport</a></li>
          <li><a class="button secondary" href={url('json')} download="outcome-report.json">JSON</a></li>
          <li><a class="button secondary" href={url('html')} target="_blank" rel="noopener">HTML report in a new tab</a></li>
        </ul>
      </section>
      {active.program && (
        <iframe class="report-frame" title={`Outcome report: ${list.find((p) => p.slug === active.program)?.current.title ?? active.program}`} src={url('html')} onLoad={fit} style={{ height: `${height}px` }} />
      )}
    </Page>
  );
}
