/**
 * Which training rows each step uses. An epoch is a permutation of the rows (file order without
 * shuffling, else Fisher–Yates from (seed, epoch)), cut into ⌈n/batch⌉ consecutive batches, the
 * last one possibly shorter. Step t is batch t mod ⌈n/batch⌉ of epoch ⌊t/⌈n/batch⌉⌋, so the data
 * position of a run is its step count alone, and a resumed run sees the same batches.
 * With batch ≥ n and no shuffling every step is all rows in file order (glue.md §5's contract).
 */
import { makeRng, mixSeed, shuffle, STREAM } from '../rng';

export interface DataOrder {
  rows: number;
  batch: number;
  shuffle: boolean;
  seed: number;
}

export const stepsPerEpoch = (o: DataOrder): number =>
  Math.ceil(o.rows / Math.min(o.batch, o.rows));

/** The permutation of epoch e. */
export function epochOrder(o: DataOrder, epoch: number): Int32Array {
  const order = Int32Array.from({ length: o.rows }, (_, i) => i);
  return o.shuffle ? shuffle(makeRng(mixSeed(o.seed, STREAM.batch, epoch)), order) : order;
}

/** The row indices of step t, and where it sits (epoch, batch index within it). */
export function stepRows(
  o: DataOrder,
  t: number,
): { rows: number[]; epoch: number; index: number } {
  const per = stepsPerEpoch(o);
  const size = Math.min(o.batch, o.rows);
  const epoch = Math.floor(t / per);
  const index = t % per;
  const order = epochOrder(o, epoch);
  return {
    rows: Array.from(order.subarray(index * size, Math.min((index + 1) * size, o.rows))),
    epoch,
    index,
  };
}
