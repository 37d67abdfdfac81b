/**
 * The Coalescer's schedule (coalesce.ts), on a fake clock: a change after a quiet spell flushes
 * after the next paint; changes in quick succession flush once they pause for quietMs, or at
 * maxWaitMs; every change is followed by a flush. The times below follow from those rules with
 * quietMs 100 and maxWaitMs 400.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalesce';

let flushes: number[] = [];
let paints: (() => void)[] = [];
let c: Coalescer;

beforeEach(() => {
  vi.useFakeTimers();
  flushes = [];
  paints = [];
  c = new Coalescer(() => flushes.push(Date.now()), {
    quietMs: 100,
    maxWaitMs: 400,
    now: () => Date.now(),
    afterPaint: (run) => {
      paints.push(run);
      return () => (paints = paints.filter((p) => p !== run));
    },
  });
});
afterEach(() => {
  c.dispose();
  vi.useRealTimers();
});

/** the next frame is painted: whatever waited for it runs */
const paint = () => {
  const runs = paints;
  paints = [];
  for (const run of runs) run();
};

describe('Coalescer', () => {
  it('flushes a lone change after the next paint, not before', () => {
    const t0 = Date.now();
    c.poke();
    expect(flushes).toEqual([]);
    vi.advanceTimersByTime(16);
    paint();
    expect(flushes).toEqual([t0 + 16]);
    expect(c.pending).toBe(false);
  });

  it('changes in quick succession flush once, quietMs after the last', () => {
    const t0 = Date.now();
    c.poke();
    paint(); // the first change of the burst, after its frame
    expect(flushes).toEqual([t0]);
    for (let k = 1; k <= 5; k++) {
      vi.advanceTimersByTime(30);
      c.poke();
    }
    paint();
    expect(flushes).toHaveLength(1);
    vi.advanceTimersByTime(99);
    expect(flushes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([t0, t0 + 150 + 100]);
    expect(c.pending).toBe(false);
  });

  it('a change every 30 ms without a pause still flushes every maxWaitMs', () => {
    const t0 = Date.now();
    c.poke();
    paint();
    for (let k = 1; k <= 30; k++) {
      vi.advanceTimersByTime(30);
      c.poke();
    }
    // the first unflushed change came at t0 + 30: flushed at +430; the next one at +450: at +850
    expect(flushes).toEqual([t0, t0 + 430, t0 + 850]);
    vi.advanceTimersByTime(100);
    expect(flushes.at(-1)).toBe(t0 + 1000);
    expect(c.pending).toBe(false);
  });

  it('flush() takes a pending change at once, and nothing runs later for it', () => {
    c.poke();
    c.flush();
    expect(flushes).toHaveLength(1);
    paint();
    vi.advanceTimersByTime(1000);
    expect(flushes).toHaveLength(1);
  });

  it('dispose() drops a pending change', () => {
    c.poke();
    vi.advanceTimersByTime(10);
    c.poke();
    c.dispose();
    paint();
    vi.advanceTimersByTime(1000);
    expect(flushes).toEqual([]);
  });
});

describe('Coalescer while a pointer is held (a drag)', () => {
  let held = false;
  const make = (opts: { heldQuietMs?: number; flushWhileHeld?: boolean }) =>
    new Coalescer(() => flushes.push(Date.now()), {
      quietMs: 100,
      maxWaitMs: 400,
      ...opts,
      held: () => held,
      now: () => Date.now(),
      afterPaint: (run) => {
        paints.push(run);
        return () => (paints = paints.filter((p) => p !== run));
      },
    });
  beforeEach(() => (held = true));

  it('a change while held is never a lone change, however long since the one before', () => {
    const h = make({});
    const t0 = Date.now();
    h.poke();
    paint();
    expect(flushes).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(flushes).toEqual([t0 + 100]);
    // a slow page: the next input 250 ms later is still part of the drag
    vi.advanceTimersByTime(150);
    h.poke();
    paint();
    expect(flushes).toEqual([t0 + 100]);
    h.dispose();
  });

  it('while held a flush waits heldQuietMs without changes (or maxWaitMs)', () => {
    const h = make({ heldQuietMs: 250 });
    const t0 = Date.now();
    h.poke();
    vi.advanceTimersByTime(150);
    h.poke(); // a gap of 150 ms: more than quietMs, less than heldQuietMs
    vi.advanceTimersByTime(249);
    expect(flushes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([t0 + 400]);
    // changes every 200 ms: never 250 ms quiet, so maxWaitMs (400) after the first unflushed one
    const t1 = Date.now();
    for (let k = 0; k < 5; k++) {
      h.poke();
      vi.advanceTimersByTime(200);
    }
    expect(flushes).toEqual([t0 + 400, t1 + 400, t1 + 800]);
    h.dispose();
  });

  it('letting go flushes after quietMs, not heldQuietMs', () => {
    const h = make({ heldQuietMs: 1000 });
    const t0 = Date.now();
    h.poke();
    vi.advanceTimersByTime(50);
    held = false;
    h.release();
    vi.advanceTimersByTime(49);
    expect(flushes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([t0 + 100]);
    h.dispose();
  });

  it('flushWhileHeld false: nothing flushes while held, however long; release flushes', () => {
    const h = make({ flushWhileHeld: false });
    const t0 = Date.now();
    h.poke();
    paint();
    vi.advanceTimersByTime(150);
    h.poke();
    vi.advanceTimersByTime(5000);
    expect(flushes).toEqual([]);
    expect(h.pending).toBe(true);
    held = false;
    h.release();
    vi.advanceTimersByTime(0);
    expect(flushes).toEqual([t0 + 5150]);
    expect(h.pending).toBe(false);
    // without a pending change, letting go does nothing
    h.release();
    vi.advanceTimersByTime(1000);
    expect(flushes).toHaveLength(1);
    h.dispose();
  });
});
