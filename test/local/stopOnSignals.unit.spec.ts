/**
 * The signals that stop `npm start`, on a simulated clock: a drain on the first, the same signal
 * relayed again ignored, a later one stopping at once, a drain cut short at its limit.
 */

import { stopOnSignals } from '@coffee-es/local';
import { describe, expect, it } from 'vitest';

function setting(drain: () => Promise<void>) {
  let clock = 0;
  const exits: number[] = [];
  const lines: string[] = [];
  const timers: { at: number; run: () => void }[] = [];
  const onSignal = stopOnSignals({
    drain,
    exit: (code) => exits.push(code),
    log: (line) => lines.push(line.trim()),
    now: () => clock,
    setTimer: (run, ms) => timers.push({ at: clock + ms, run }),
  });
  const advance = (ms: number) => {
    clock += ms;
    for (const t of timers.filter((t) => t.at <= clock)) {
      timers.splice(timers.indexOf(t), 1);
      t.run();
    }
  };
  return { onSignal, exits, lines, advance };
}

/** A drain the spec finishes when it wants. */
function pendingDrain() {
  let finish: () => void = () => {};
  let calls = 0;
  const drain = () => {
    calls += 1;
    return new Promise<void>((resolve) => {
      finish = resolve;
    });
  };
  return { drain, finish: () => finish(), calls: () => calls };
}

describe('stopOnSignals', () => {
  it('drains on the first signal, then exits 0', async () => {
    const d = pendingDrain();
    const s = setting(d.drain);
    const done = s.onSignal('SIGINT');
    expect(d.calls()).toBe(1);
    expect(s.lines).toEqual(['SIGINT: stopping (HTTP requests in flight finish, workers drain)']);
    expect(s.exits).toEqual([]);
    s.advance(1_234);
    d.finish();
    await done;
    expect(s.lines.at(-1)).toBe('Stopped in 1234 ms');
    expect(s.exits).toEqual([0]);
  });

  it('ignores the same signal arriving again within a second (a group signal relayed by npm)', async () => {
    const d = pendingDrain();
    const s = setting(d.drain);
    const done = s.onSignal('SIGINT');
    s.advance(5);
    await s.onSignal('SIGINT');
    s.advance(900);
    await s.onSignal('SIGTERM');
    expect(d.calls()).toBe(1);
    expect(s.exits).toEqual([]);
    d.finish();
    await done;
    expect(s.exits).toEqual([0]);
  });

  it('stops at once on a signal a second or more after the first (Ctrl-C again)', async () => {
    const d = pendingDrain();
    const s = setting(d.drain);
    void s.onSignal('SIGINT');
    s.advance(1_000);
    await s.onSignal('SIGINT');
    expect(s.exits).toEqual([130]);
    expect(s.lines.at(-1)).toBe('SIGINT again: stopping at once');
  });

  it('cuts a drain short after 30 s', () => {
    const d = pendingDrain();
    const s = setting(d.drain);
    void s.onSignal('SIGTERM');
    s.advance(29_999);
    expect(s.exits).toEqual([]);
    s.advance(1);
    expect(s.exits).toEqual([1]);
  });

  it('exits 1 when the drain fails', async () => {
    const s = setting(() => Promise.reject(new Error('DynamoDB Local did not stop')));
    await s.onSignal('SIGTERM');
    expect(s.exits).toEqual([1]);
    expect(s.lines.at(-1)).toBe('Could not stop cleanly: DynamoDB Local did not stop');
  });
});
