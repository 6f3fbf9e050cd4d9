// Attendance (sessions per enrolled participant: median, IQR, share meeting the program's rule) and
// assessment completion per timepoint.
import { attendanceSummary } from '../statistics/index.js';
import type { OutcomeData } from '../outcome-data.port.js';
import type { DisclosureTable } from '../disclosure.js';
import type { FunnelRefs } from './funnel.section.js';
import { guardAll, shareOf } from './figures.helpers.js';
import type { AssessmentCompletion, AttendanceSection } from './outcome-report.types.js';

function attendedCounts(data: OutcomeData): number[] {
  const counts: number[] = [];
  for (const { sessions, participants } of data.attendance) for (let i = 0; i < participants; i++) counts.push(sessions);
  return counts;
}

export function registerParticipation(t: DisclosureTable, data: OutcomeData, refs: FunnelRefs) {
  const counts = attendedCounts(data);
  if (counts.length !== data.funnel.enrolled) {
    throw new RangeError(`report data is inconsistent: attendance covers ${counts.length} participants, enrolled is ${data.funnel.enrolled}`);
  }
  const summary = attendanceSummary(counts, { minAttended: data.program.minAttended });
  const meeting = t.count(counts.filter((c) => c >= data.program.minAttended).length);
  // Meeting the rule means attending, so having started: the tighter subset, when the data bears it out.
  if (data.program.minAttended < 1 || !t.within([meeting], refs.started, 'participants meeting the attendance rule')) {
    t.share(meeting, refs.enrolled, 'participants meeting the attendance rule');
  }

  const timepoints = data.timepoints.map((tp) => {
    const due = t.count(tp.due);
    const completed = t.count(tp.completed);
    t.share(due, refs.enrolled, `participants due at ${tp.code}`);
    t.share(completed, due, `assessments completed at ${tp.code}`);
    return { code: tp.code, due, completed };
  });

  const render = (): { attendance: AttendanceSection; assessments: AssessmentCompletion[] } => {
    const n = t.cell(refs.enrolled);
    // Quartiles of 0–8 sessions fall on the boundaries between attendance counts, so they can give away how
    // many met the rule or never attended: shown only when those counts are.
    const split = [n, t.cell(meeting), t.cell(refs.started)];
    return {
      attendance: {
        sessionCount: data.program.sessionCount,
        minAttended: data.program.minAttended,
        n,
        median: guardAll(split, summary.median),
        q1: guardAll(split, summary.q1),
        q3: guardAll(split, summary.q3),
        iqr: guardAll(split, summary.iqr),
        meetingRule: shareOf(t.cell(meeting), n),
      },
      assessments: timepoints.map((tp) => ({ timepoint: tp.code, ...shareOf(t.cell(tp.completed), t.cell(tp.due)) })),
    };
  };
  return { render };
}
