// The outcome port over synthetic participants, aggregated in plain TypeScript: the reference the SQL
// adapter is checked against, and the data behind the report's unit and e2e tests.
import type { CsvGroup, CsvRow, OutcomeData, ScoreSeries } from '../../../src/reports/outcome-data.port.js';
import { OutcomeDataPort } from '../../../src/reports/outcome-data.port.js';
import type { AnswerMode, OutcomeFilters } from '../../../src/reports/outcome-filters.js';
import { Pseudonymizer } from '../../../src/reports/pseudonym.js';
import { countReasons, DECLINE_REASONS, WITHDRAWAL_REASONS } from '../../../src/reports/reasons.js';
import { SATISFACTION_ITEMS, SATISFACTION_URL } from '../../../src/reports/score-catalogue.js';
import { dueOf, stagesOf, type SyntheticParticipant, type SyntheticProgram, type SyntheticResponse } from './synthetic-cohort.js';

const tally = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());

export class InMemoryOutcomeData extends OutcomeDataPort {
  constructor(
    private readonly program: SyntheticProgram,
    private readonly people: SyntheticParticipant[],
    private readonly pseudonyms = new Pseudonymizer(Buffer.alloc(32, 7)),
  ) {
    super();
  }

  private select(f: OutcomeFilters): SyntheticParticipant[] {
    return this.people.filter(
      (p) =>
        (!f.participantType || p.type === f.participantType) &&
        (!f.cohort || p.cohort === f.cohort) &&
        (!f.from || p.referredOn >= f.from) &&
        (!f.to || p.referredOn <= f.to),
    );
  }

  /** A participant's latest answer per timepoint and instrument, in the filtered answer mode and language. */
  private latest(p: SyntheticParticipant, f: OutcomeFilters): Map<string, SyntheticResponse> {
    const map = new Map<string, SyntheticResponse>();
    for (const r of p.responses ?? []) {
      if ((!f.answerMode || (r.mode ?? 'self') === f.answerMode) && (!f.language || (r.language ?? 'en') === f.language)) map.set(`${r.timepoint} ${r.instrumentUrl}`, r);
    }
    return map;
  }

  async load(f: OutcomeFilters): Promise<OutcomeData> {
    const all = this.select(f);
    const stages = all.map(stagesOf);
    const count = (k: keyof ReturnType<typeof stagesOf>) => stages.filter((s) => s[k]).length;
    const enrolled = all.filter((_, i) => stages[i].enrolled);
    const by = (o: string) => all.filter((p) => p.outcome === o);
    const cohorts = [...new Set(enrolled.map((p) => p.cohort))].sort();
    const latest = new Map(enrolled.map((p) => [p.id, this.latest(p, f)]));
    const value = (p: SyntheticParticipant, tp: string, url: string, linkId: string) => latest.get(p.id)!.get(`${tp} ${url}`)?.scores?.[linkId];
    const scores = this.program.scores.map((meta): ScoreSeries => {
      const s: ScoreSeries = { meta, pairs: [], baselineOnly: [], postOnly: [], missingBaseline: 0, withdrawn: 0, missingPost: 0, languages: [] };
      const languages = new Map<string, { code: string; baseline: number; post: number }>();
      for (const p of enrolled) {
        for (const tp of ['baseline', 'post'] as const) {
          const r = latest.get(p.id)!.get(`${tp} ${meta.instrumentUrl}`);
          if (r?.scores?.[meta.linkId] === undefined) continue;
          const code = r.language ?? 'en';
          const c = languages.get(code) ?? { code, baseline: 0, post: 0 };
          c[tp]++;
          languages.set(code, c);
        }
        const before = value(p, 'baseline', meta.instrumentUrl, meta.linkId);
        const after = value(p, 'post', meta.instrumentUrl, meta.linkId);
        if (before !== undefined && after !== undefined) s.pairs.push({ before, after });
        else if (before === undefined) {
          s.missingBaseline++;
          if (after !== undefined) s.postOnly.push(after);
        } else {
          s.baselineOnly.push(before);
          if (p.outcome === 'withdrawn') s.withdrawn++;
          else s.missingPost++;
        }
      }
      s.languages = [...languages.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
      return s;
    });
    const satisfactionAnswers = enrolled.map((p) => [...latest.get(p.id)!.values()].filter((r) => r.instrumentUrl === SATISFACTION_URL).pop());
    return {
      program: this.program.facts,
      funnel: {
        referred: count('referred'), screened: count('screened'), eligible: count('eligible'), enrolled: count('enrolled'),
        started: count('started'), completed: count('completed'), declined: by('declined').length, awaiting: by('awaiting').length,
        withdrawn: by('withdrawn').length, inProgress: by('inProgress').length,
      },
      declineReasons: countReasons(DECLINE_REASONS, tally(by('declined').map((p) => p.declineReason ?? 'declined-after-screening')), 'declined-after-screening'),
      withdrawalReasons: countReasons(WITHDRAWAL_REASONS, tally(by('withdrawn').map((p) => p.withdrawalReason ?? 'not-recorded')), 'not-recorded'),
      cohorts: cohorts.map((label) => ({
        label,
        enrolled: enrolled.filter((p) => p.cohort === label).length,
        completed: enrolled.filter((p) => p.cohort === label && p.outcome === 'completed').length,
      })),
      attendance: [...tally(enrolled.map((p) => String(p.attended ?? 0)))].map(([s, n]) => ({ sessions: Number(s), participants: n })).sort((a, b) => a.sessions - b.sessions),
      timepoints: this.program.timepoints.map((tp) => {
        const due = enrolled.filter((p) => dueOf(p).includes(tp.code));
        // Completion counts forms done whoever typed them, in any language: neither filter applies.
        const all = (p: SyntheticParticipant) => this.latest(p, { ...f, answerMode: undefined, language: undefined });
        const done = due.filter((p) => tp.instruments.every((url) => all(p).has(`${tp.code} ${url}`)));
        return { code: tp.code, due: due.length, completed: done.length };
      }),
      scores,
      satisfaction: SATISFACTION_ITEMS.map(({ linkId, text }) => {
        const ratings = satisfactionAnswers.map((r) => r?.items?.[linkId]).filter((v): v is number => v !== undefined);
        return { linkId, text, counts: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: ratings.filter((v) => v === rating).length })) };
      }),
      safety: enrolled.reduce((a, p) => ({ raised: a.raised + (p.alerts?.raised ?? 0), followedUp: a.followedUp + (p.alerts?.followedUp ?? 0) }), { raised: 0, followedUp: 0 }),
    };
  }

  async csvGroups(f: OutcomeFilters): Promise<CsvGroup[]> {
    type Tally = { ids: Set<string>; speakers: Map<string, Set<string>>; modes: Map<AnswerMode, Set<string>>; pairs: Map<string, Set<string>> };
    const groups = new Map<string, Omit<CsvGroup, 'languages' | 'answerModes' | 'pairs'> & Tally>();
    const add = <K>(m: Map<K, Set<string>>, k: K, who: string) => m.set(k, (m.get(k) ?? new Set()).add(who));
    for await (const row of this.csvRows(f)) {
      const key = `${row.cohort} ${row.participantType}`;
      const g = groups.get(key) ?? { cohort: row.cohort, participantType: row.participantType, participants: 0, rows: 0, ids: new Set<string>(), speakers: new Map(), modes: new Map(), pairs: new Map() };
      g.ids.add(row.participant);
      add(g.speakers, row.language, row.participant);
      add(g.modes, row.answerMode, row.participant);
      add(g.pairs, JSON.stringify([row.language, row.answerMode]), row.participant);
      g.rows++;
      g.participants = g.ids.size;
      groups.set(key, g);
    }
    const people = <K extends string>(m: Map<K, Set<string>>) => [...m].map(([k, ids]) => [k, ids.size] as const).sort(([a], [b]) => (a < b ? -1 : 1));
    return [...groups.values()].map(({ ids: _ids, speakers, modes, pairs, ...g }) => ({
      ...g,
      languages: people(speakers).map(([language, participants]) => ({ language, participants })),
      answerModes: people(modes).map(([answerMode, participants]) => ({ answerMode, participants })),
      pairs: [...pairs]
        .map(([pair, ids]) => {
          const [language, answerMode] = JSON.parse(pair) as [string, AnswerMode];
          return { language, answerMode, participants: ids.size };
        })
        .sort((a, b) => (a.language === b.language ? (a.answerMode < b.answerMode ? -1 : 1) : a.language < b.language ? -1 : 1)),
    }));
  }

  async *csvRows(f: OutcomeFilters): AsyncIterable<CsvRow> {
    const order = ['baseline', 'mid', 'post', 'follow-up'];
    for (const p of this.select(f).filter((x) => stagesOf(x).enrolled)) {
      const responses = [...this.latest(p, f).values()].sort((a, b) => order.indexOf(a.timepoint) - order.indexOf(b.timepoint) || a.instrumentUrl.localeCompare(b.instrumentUrl));
      for (const r of responses) {
        for (const [score, value] of Object.entries(r.scores ?? {})) {
          yield { participant: this.pseudonyms.of(p.id), participantType: p.type, cohort: p.cohort, timepoint: r.timepoint, instrument: r.instrumentUrl, score, value, answerMode: r.mode ?? 'self', language: r.language ?? 'en' };
        }
      }
    }
  }
}
