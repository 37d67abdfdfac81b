/**
 * The basin client with in-process fake workers that run the real handler asynchronously: the
 * assembled map equals the single-thread map, progress climbs to ny, and cancel and failures
 * terminate every worker.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { basinMap } from '../landscapes/basin';
import { getLandscape } from '../landscapes/index';
import { computeBasinMap, defaultWorkerCount } from './basinClient';
import {
  handleBasinMessage,
  type BasinRequest,
  type FromBasinWorker,
  type ToBasinWorker,
} from './basinProtocol';

class FakeWorker {
  onmessage: ((e: MessageEvent<FromBasinWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  received: ToBasinWorker[] = [];
  constructor(private readonly fail = false) {}
  postMessage(msg: ToBasinWorker) {
    this.received.push(msg);
    setTimeout(() => {
      if (this.terminated) return;
      if (this.fail) {
        this.onerror?.({ message: 'boom' } as ErrorEvent);
        return;
      }
      // structuredClone: what crosses a real worker boundary is a copy
      handleBasinMessage(structuredClone(msg), (m) => {
        if (!this.terminated) this.onmessage?.({ data: m } as MessageEvent<FromBasinWorker>);
      });
    }, 0);
  }
  terminate() {
    this.terminated = true;
  }
}

const request: BasinRequest = {
  landscape: 'himmelblau',
  config: recipe('amsgrad', 'paper', { lr: 0.1 }),
  nx: 12,
  ny: 9,
  steps: 80,
  stochastic: { sigma: 0.3, batch: 4, samples: 64, seed: 7 },
};

const pool = (fail = false) => {
  const made: FakeWorker[] = [];
  const create = () => {
    const w = new FakeWorker(fail);
    made.push(w);
    return w as unknown as Worker;
  };
  return { made, create };
};

describe('computeBasinMap', () => {
  it('assembles the bands of several workers into the single-thread map, reporting progress to ny', async () => {
    const { made, create } = pool();
    const progress: number[] = [];
    const classes = await computeBasinMap(request, {
      workers: 3,
      bandRows: 2,
      create,
      onProgress: (done, total) => {
        expect(total).toBe(9);
        progress.push(done);
      },
    });
    const expected = basinMap({ ...request, landscape: getLandscape('himmelblau')! });
    expect([...classes]).toEqual([...expected]);
    expect(new Set(expected).size).toBeGreaterThan(1);
    expect(made.length).toBe(3);
    // five bands of ≤ 2 rows over three workers: some worker took a second band
    expect(made.reduce((a, w) => a + w.received.length, 0)).toBe(5);
    expect(made.every((w) => w.terminated)).toBe(true);
    expect(progress.every((d, i) => i === 0 || d >= progress[i - 1])).toBe(true);
    expect(progress[progress.length - 1]).toBe(9);
  });

  it('never starts more workers than bands', async () => {
    const { made, create } = pool();
    await computeBasinMap({ ...request, ny: 2 }, { workers: 4, bandRows: 8, create });
    expect(made.length).toBe(1);
  });

  it('cancels: terminates every worker and rejects with the abort reason', async () => {
    const { made, create } = pool();
    const ctrl = new AbortController();
    let calls = 0;
    const result = computeBasinMap(request, {
      workers: 2,
      bandRows: 1,
      create,
      signal: ctrl.signal,
      onProgress: () => {
        calls++;
        if (calls === 2) ctrl.abort(new Error('stop'));
      },
    });
    await expect(result).rejects.toThrow('stop');
    expect(made.every((w) => w.terminated)).toBe(true);
    // no progress after the abort
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(2);
  });

  it('rejects at once for an already aborted signal, without starting workers', async () => {
    const { made, create } = pool();
    const ctrl = new AbortController();
    ctrl.abort(new Error('already'));
    await expect(computeBasinMap(request, { create, signal: ctrl.signal })).rejects.toThrow(
      'already',
    );
    expect(made.length).toBe(0);
  });

  it('rejects on a worker error message or a crash, terminating the pool', async () => {
    const bad = pool();
    await expect(
      computeBasinMap({ ...request, landscape: 'nowhere' }, { workers: 2, create: bad.create }),
    ).rejects.toThrow(/unknown landscape/);
    expect(bad.made.every((w) => w.terminated)).toBe(true);
    const crashing = pool(true);
    await expect(computeBasinMap(request, { workers: 2, create: crashing.create })).rejects.toThrow(
      /boom/,
    );
    expect(crashing.made.every((w) => w.terminated)).toBe(true);
  });

  it('uses between 1 and 4 workers by default', () => {
    const n = defaultWorkerCount();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(4);
  });
});
