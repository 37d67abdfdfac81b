/**
 * The HashWriter's schedule (hashWriter.ts), on a fake clock with an interval of 100 ms: a change
 * after a quiet spell is written at once; faster changes are written at most every 100 ms, the
 * newest each time; the last hash always lands, and nothing is written twice or out of order.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HashWriter } from './hashWriter';

let writes: { at: number; hash: string }[] = [];
let w: HashWriter;

beforeEach(() => {
  vi.useFakeTimers();
  writes = [];
  w = new HashWriter((hash) => writes.push({ at: Date.now(), hash }), '#a', {
    intervalMs: 100,
    now: () => Date.now(),
  });
});
afterEach(() => vi.useRealTimers());

const hashes = () => writes.map((x) => x.hash);

describe('HashWriter', () => {
  it('writes a lone change at once, and nothing for the hash the address bar holds', () => {
    w.set('#a');
    expect(writes).toEqual([]);
    const t0 = Date.now();
    w.set('#b');
    expect(writes).toEqual([{ at: t0, hash: '#b' }]);
    vi.advanceTimersByTime(1000);
    w.set('#c');
    expect(writes).toEqual([
      { at: t0, hash: '#b' },
      { at: t0 + 1000, hash: '#c' },
    ]);
  });

  it('a change every 10 ms is written every 100 ms, the newest each time, the last one last', () => {
    const t0 = Date.now();
    for (let k = 1; k <= 25; k++) {
      w.set(`#${k}`);
      vi.advanceTimersByTime(10);
    }
    // #k is set at t0 + 10(k − 1): #1 at once; at t0+100 the newest by then (#10), at t0+200
    // #20, and the last, #25 (set at t0+240), at t0+300
    vi.advanceTimersByTime(1000);
    expect(writes).toEqual([
      { at: t0, hash: '#1' },
      { at: t0 + 100, hash: '#10' },
      { at: t0 + 200, hash: '#20' },
      { at: t0 + 300, hash: '#25' },
    ]);
    expect(w.pending).toBeNull();
  });

  it('no two writes closer than the interval, and the last hash always lands', () => {
    // changes at irregular times (a pseudo-random walk of gaps from 1 to 60 ms)
    let seed = 7;
    const gaps = Array.from({ length: 200 }, () => ((seed = (seed * 48271) % 2147483647) % 60) + 1);
    gaps.forEach((gap, k) => {
      w.set(`#${k}`);
      vi.advanceTimersByTime(gap);
    });
    vi.advanceTimersByTime(1000);
    expect(hashes().at(-1)).toBe('#199');
    for (let i = 1; i < writes.length; i++)
      expect(writes[i].at - writes[i - 1].at).toBeGreaterThanOrEqual(100);
    // in order: each written hash is newer than the one before
    const order = hashes().map((h) => Number(h.slice(1)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('a change back to the written hash before the interval ends writes nothing more', () => {
    w.set('#b');
    w.set('#c');
    w.set('#b');
    vi.advanceTimersByTime(1000);
    expect(hashes()).toEqual(['#b']);
  });

  it('flush() writes the waiting hash now (before the address bar is read)', () => {
    w.set('#b');
    w.set('#c');
    expect(hashes()).toEqual(['#b']);
    w.flush();
    expect(hashes()).toEqual(['#b', '#c']);
    vi.advanceTimersByTime(1000);
    expect(hashes()).toEqual(['#b', '#c']);
  });

  it('cancel() drops the waiting hash: the user navigated to another link', () => {
    w.set('#b');
    w.set('#c');
    w.cancel('#typed');
    vi.advanceTimersByTime(1000);
    expect(hashes()).toEqual(['#b']);
    // the typed link is now what the address bar holds: setting it writes nothing
    w.set('#typed');
    expect(hashes()).toEqual(['#b']);
  });
});
