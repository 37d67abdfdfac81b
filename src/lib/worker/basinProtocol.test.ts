/**
 * The basin worker's handler, run as a pure function in Node: what it posts for a band of rows,
 * and how it reports a bad request instead of throwing.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import { basinMap } from '../landscapes/basin';
import { wells } from '../landscapes/wells';
import {
  handleBasinMessage,
  planBands,
  type BasinRequest,
  type FromBasinWorker,
} from './basinProtocol';

const request: BasinRequest = {
  landscape: 'wells',
  config: recipe('adasam', 'paper', { lr: 0.05, rho: 0.15 }),
  nx: 10,
  ny: 8,
  steps: 60,
  stochastic: null,
};

const collect = (req: BasinRequest, rows: [number, number]) => {
  const out: { msg: FromBasinWorker; transfer?: Transferable[] }[] = [];
  handleBasinMessage({ type: 'rows', request: req, rows }, (msg, transfer) =>
    out.push({ msg, transfer }),
  );
  return out;
};

describe('handleBasinMessage', () => {
  it('posts progress after each row, then the band of classes with its buffer transferred', () => {
    const out = collect(request, [2, 5]);
    expect(out.slice(0, 3).map((o) => o.msg)).toEqual(
      [1, 2, 3].map((done) => ({ type: 'progress', done, total: 3 })),
    );
    const last = out[3];
    expect(out.length).toBe(4);
    if (last.msg.type !== 'done') throw new Error(`expected done, got ${last.msg.type}`);
    expect(last.msg.rows).toEqual([2, 5]);
    expect([...last.msg.classes]).toEqual([
      ...basinMap({ ...request, landscape: wells, rows: [2, 5] }),
    ]);
    expect(last.transfer).toEqual([last.msg.classes.buffer]);
  });

  it('reports an unknown landscape, an invalid config or bad rows as an error message', () => {
    for (const [req, rows, pattern] of [
      [{ ...request, landscape: 'nowhere' }, [0, 1], /unknown landscape nowhere/],
      [{ ...request, config: { ...request.config, beta1: 1 } }, [0, 1], /beta1/],
      [request, [4, 99], /rows/],
    ] as const) {
      const out = collect(req, [rows[0], rows[1]]);
      expect(out.length).toBe(1);
      expect(out[0].msg.type).toBe('error');
      if (out[0].msg.type === 'error') expect(out[0].msg.message).toMatch(pattern);
    }
  });
});

describe('planBands', () => {
  it('covers every row once, in order, in bands of at most the given size', () => {
    expect(planBands(10, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(planBands(3, 8)).toEqual([[0, 3]]);
    expect(planBands(0, 4)).toEqual([]);
    expect(planBands(5, 0)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
  });
});
