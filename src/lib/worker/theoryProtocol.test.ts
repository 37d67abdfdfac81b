/**
 * The explorer worker's handler in Node, and the client over a fake worker: progress then the
 * result, a bad request answered with a message, cancellation terminating the worker.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import type { ExploreRequest } from '../theory/explore';
import { computeExplore } from './theoryClient';
import { handleTheoryMessage, type FromTheoryWorker, type ToTheoryWorker } from './theoryProtocol';

const request: ExploreRequest = {
  config: recipe('adasam', 'paper', { lr: 0.05, rho: 0.05 }),
  x0: [-2, 1],
  steps: 20,
  stochastic: { sigma: 0.5, batch: 8, samples: 64, seed: 1 },
  seeds: 2,
  speedupBatches: [4],
  speedupHorizons: [10],
};

const collect = (msg: ToTheoryWorker) => {
  const out: FromTheoryWorker[] = [];
  handleTheoryMessage(msg, (m) => out.push(m));
  return out;
};

/** A Worker stand-in that runs the handler in this thread on postMessage. */
class FakeWorker {
  onmessage: ((e: MessageEvent<FromTheoryWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  postMessage(msg: ToTheoryWorker) {
    queueMicrotask(() =>
      handleTheoryMessage(msg, (m) => {
        if (!this.terminated) this.onmessage?.({ data: m } as MessageEvent<FromTheoryWorker>);
      }),
    );
  }
  terminate() {
    this.terminated = true;
  }
}

describe('handleTheoryMessage', () => {
  it('posts progress after every run, then the result', () => {
    const out = collect({ type: 'explore', landscape: 'quadratic', request });
    // 2 seeds of the page's run + 2 seeds of the one (batch, horizon) point
    expect(out.slice(0, 4)).toEqual(
      [1, 2, 3, 4].map((done) => ({ type: 'progress', done, total: 4 })),
    );
    const last = out[4];
    expect(last.type).toBe('done');
    if (last.type !== 'done') return;
    expect(last.result.constants.L).toBeCloseTo(10, 5);
    expect(last.result.speedup.points).toHaveLength(1);
  });

  it('answers a bad request with a message', () => {
    expect(collect({ type: 'explore', landscape: 'nope', request })).toEqual([
      { type: 'error', message: 'unknown landscape nope' },
    ]);
    const bad = collect({
      type: 'explore',
      landscape: 'quadratic',
      request: { ...request, stochastic: { ...request.stochastic, batch: 0 } },
    });
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/batch/) });
    expect(collect({ type: 'other' } as unknown as ToTheoryWorker)).toEqual([
      { type: 'error', message: 'unknown message type other' },
    ]);
  });
});

describe('computeExplore', () => {
  it('resolves with the result after reporting progress, and terminates the worker', async () => {
    const workers: FakeWorker[] = [];
    const seen: number[] = [];
    const result = await computeExplore('quadratic', request, {
      onProgress: (done) => seen.push(done),
      create: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w as unknown as Worker;
      },
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(result.measured.perSeed).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
  });

  it('rejects with the worker message, and on abort', async () => {
    const create = () => new FakeWorker() as unknown as Worker;
    await expect(computeExplore('nope', request, { create })).rejects.toThrow(/unknown landscape/);
    const ctrl = new AbortController();
    const pending = computeExplore('quadratic', request, { create, signal: ctrl.signal });
    ctrl.abort(new Error('stopped'));
    await expect(pending).rejects.toThrow('stopped');
  });
});
