// Longest first, as jest's own sequencer does, with one correction. jest orders files by the durations it recorded
// in its cache and, on a clean clone (CI) that has none, by file size. A group file (test/groups/) is a few lines
// that import a dozen suites: by its own size it would run last, leaving one worker idle for its whole length.
// Here a group file of API or browser suites weighs what its suites weigh, and the unit spec groups go last: a few
// seconds each, they fill the tail while the other worker ends its last suite.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import Sequencer from '@jest/test-sequencer';
import { browserGroupMembers, groupMembers } from '../groups/plan.mjs';

const GROUP = /^(api|browser|unit)-(\d+)\.e2e-group\.ts$/;

export default class LongestFirst extends Sequencer {
  sort(tests) {
    const size = new Map();
    const sizeOf = (path) => {
      if (!size.has(path)) {
        const group = GROUP.exec(basename(path));
        const members = !group ? [path] : group[1] === 'api' ? groupMembers(Number(group[2])) : group[1] === 'browser' ? browserGroupMembers(Number(group[2])) : [];
        size.set(path, members.reduce((sum, f) => sum + statSync(f).size, 0));
      }
      return size.get(path);
    };
    for (const test of tests) test.duration = this.time(test);
    // jest's order (failed first; timed after untimed; longest first), file size replaced by sizeOf.
    return tests.sort((a, b) => {
      const failedA = this.hasFailed(a);
      const failedB = this.hasFailed(b);
      if (failedA !== failedB) return failedA ? -1 : 1;
      const timedA = a.duration != null;
      const timedB = b.duration != null;
      if (timedA !== timedB) return timedA ? 1 : -1;
      if (timedA && timedB) return b.duration - a.duration;
      return sizeOf(b.path) - sizeOf(a.path);
    });
  }
}
