import { describe, expect, it } from '@jest/globals';

// The browser app's clock for what the server decides by its own (smart-launch/src/lib/server-clock.ts): the offset a
// response's `Date` header shows, and a session's "started" by the server's time. Loaded as jest loads the browser
// app's modules (see test/patient-problems.spec.ts), so their shape is named here.
interface ServerClock {
  clockOffset(dateHeader: string | null, sentAt: number, receivedAt: number): number | undefined;
  observeServerDate(dateHeader: string | null, sentAt: number, receivedAt: number): void;
  serverNow(browserNow?: number): number;
}
const browserModule = (path: string): Promise<unknown> => import(path);
const clock = (await browserModule('../smart-launch/src/lib/server-clock.js')) as ServerClock;
const { sessionStarted } = (await browserModule('../smart-launch/src/lib/programs.js')) as { sessionStarted(s: { startsAt: string }, now?: number): boolean };

const SERVER = Date.parse('2026-12-04T08:00:10.000Z'); // what the server's Date header says: whole seconds
const HEADER = new Date(SERVER).toUTCString();

describe("the browser app's view of the server's clock", () => {
  it("reads the offset from a response's Date header, at the middle of the round trip and of the header's second", () => {
    // A browser two minutes behind: the request left at browser 07:58:10.300 and its answer came 200 ms later.
    const sent = SERVER - 120_000 + 300;
    expect(clock.clockOffset(HEADER, sent, sent + 200)).toBe(120_000 + 500 - 400);
    // A browser a minute ahead.
    expect(clock.clockOffset(HEADER, SERVER + 60_000, SERVER + 60_000)).toBe(-60_000 + 500);
    // Clocks that agree: within the header's second.
    expect(Math.abs(clock.clockOffset(HEADER, SERVER + 400, SERVER + 600)!)).toBeLessThanOrEqual(500);
  });

  it('keeps the last offset when a response has no readable Date header, or the browser clock went back meanwhile', () => {
    expect(clock.clockOffset(null, SERVER, SERVER)).toBeUndefined();
    expect(clock.clockOffset('yesterday', SERVER, SERVER)).toBeUndefined();
    expect(clock.clockOffset(HEADER, SERVER, SERVER - 1)).toBeUndefined();
    clock.observeServerDate(HEADER, SERVER - 10_500, SERVER - 10_500);
    clock.observeServerDate(null, 0, 0);
    expect(clock.serverNow(SERVER - 10_500)).toBe(SERVER + 500);
  });

  it("judges a session started by the server's time: a browser behind it still shows the Attendance link", () => {
    const startsAt = new Date(SERVER - 60_000).toISOString(); // a minute ago on the server
    const browserNow = SERVER - 120_000; // the browser is two minutes behind
    clock.observeServerDate(HEADER, browserNow, browserNow);
    expect(sessionStarted({ startsAt }, clock.serverNow(browserNow))).toBe(true);
    // Its default "now" is the server's too.
    clock.observeServerDate(new Date(Date.now() + 120_000).toUTCString(), Date.now(), Date.now());
    expect(sessionStarted({ startsAt: new Date(Date.now() + 60_000).toISOString() })).toBe(true);
    expect(sessionStarted({ startsAt: new Date(Date.now() + 180_000).toISOString() })).toBe(false);
  });
});
