import type { QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { formatDate } from '../../lib/format';
import { scoreName } from '../../lib/score-names';
import { questionnaires, responses, type QuestionnaireSummary, type ScoreDefinition } from '../../lib/responses';
import { ScoreChart, type ScorePoint } from '../../ui/ScoreChart';
import { ErrorBox, Loading } from '../../ui/Status';
import { useLoad } from '../../ui/use-load';
import { findInstrument } from './FormsPanel';

// Score history per instrument: the server computes every score into the response's hidden score items;
// the bands come from the instrument's score definition in the library.

function scoreValue(items: QuestionnaireResponseItem[] | undefined, linkId: string): number | undefined {
  for (const i of items ?? []) {
    if (i.linkId === linkId) return i.answer?.[0]?.valueInteger ?? i.answer?.[0]?.valueDecimal;
    const nested = scoreValue(i.item, linkId);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

interface Series { key: string; instrument: QuestionnaireSummary; def: ScoreDefinition; name: string; points: ScorePoint[] }

export function seriesOf(rs: QuestionnaireResponse[], library: QuestionnaireSummary[]): Series[] {
  const byKey = new Map<string, Series>();
  const sorted = [...rs].sort((a, b) => (a.authored ?? '').localeCompare(b.authored ?? ''));
  for (const r of sorted) {
    const instrument = findInstrument(library, r.questionnaire ?? '');
    for (const def of instrument?.scores ?? []) {
      const value = scoreValue(r.item, def.linkId);
      if (value === undefined || !instrument) continue;
      const key = `${instrument.url}#${def.linkId}`;
      // Named by the score item's text in the response ("PHQ-9 total score"), not the code's long display.
      const s = byKey.get(key) ?? { key, instrument, def, name: scoreName(def, r), points: [] };
      s.points.push({ date: r.authored ?? '', value, band: def.bands.find((b) => value <= b.max)?.display });
      byKey.set(key, s);
    }
  }
  return [...byKey.values()];
}

export function ScoreHistory({ patientId, refreshKey }: { patientId: string; refreshKey: number }) {
  const { data, error, loading } = useLoad(
    () => Promise.all([responses.search({ patient: patientId, status: 'completed' }), responses.search({ patient: patientId, status: 'amended' }), questionnaires.list()]),
    [patientId, refreshKey],
  );
  if (loading && !data) return <Loading what="scores" />;
  if (error || !data) return <ErrorBox error={error} title="Scores could not be loaded" />;
  const series = seriesOf([...data[0], ...data[1]], data[2]);
  return (
    <section aria-labelledby="scores-heading">
      <h2 id="scores-heading">Score history</h2>
      {series.length === 0 && <p>No completed questionnaire yet.</p>}
      <div class="grid-2">
        {series.map((s) => {
          // The instrument names its one score; several scores each need their own (short) name.
          const name = s.instrument.title ?? s.instrument.slug;
          const title = s.instrument.scores.length > 1 ? `${name}: ${s.name}` : name;
          const last = s.points.at(-1)!;
          return (
            <figure class="card chart" key={s.key} data-instrument={s.instrument.slug}>
              <figcaption>
                <strong>{title}</strong> — latest <span class="score-value">{last.value}</span>, <span class="score-band">{last.band ?? 'no band'}</span>
              </figcaption>
              <ScoreChart title={title} min={s.def.min} max={s.def.max} bands={s.def.bands} points={s.points} higherIsWorse={s.def.direction === 'higher-is-worse'} />
              {s.def.note && <p class="hint">{s.def.note}</p>}
              <details>
                <summary>Show the numbers</summary>
                <table>
                  <thead><tr><th scope="col">Date</th><th scope="col">{s.name}</th><th scope="col">Band</th></tr></thead>
                  <tbody>
                    {s.points.map((p, i) => (
                      <tr key={i}><td>{formatDate(p.date)}</td><td>{p.value}</td><td>{p.band ?? '—'}</td></tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </figure>
          );
        })}
      </div>
    </section>
  );
}
