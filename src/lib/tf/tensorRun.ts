/**
 * A whole run on the TF.js path with every intermediate read back as flat arrays (parameters
 * concatenated in the map's key order), for the `trace --backend tfjs` command and for checking
 * the tensor path against the golden files.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../optim/config';
import type { RunStatus } from '../optim/run';
import { TensorOptimizer, type LossFn } from './optimizer';
import type { TensorMap } from './tensorSpace';

export interface TensorRunRecord {
  loss: number;
  delta: number[];
  g: number[];
  m: number[];
  v: number[] | null;
  vHat: number[] | null;
  eta: number[] | null;
}

export interface TensorRun {
  status: RunStatus;
  /** x_0 … x_T' flattened */
  xs: number[][];
  steps: TensorRunRecord[];
}

async function flat(m: TensorMap | null | undefined): Promise<number[] | null> {
  if (!m) return null;
  const parts = await Promise.all(Object.values(m).map((t) => t.data()));
  return parts.flatMap((p) => Array.from(p));
}

/** Runs `steps` iterations; `lossAt(t)` is iteration t's minibatch loss (used by both passes). */
export async function runTensors(
  config: OptimizerConfig,
  x0: TensorMap,
  steps: number,
  lossAt: (t: number) => LossFn,
): Promise<TensorRun> {
  const opt = new TensorOptimizer(config, x0);
  try {
    const xs = [(await flat(opt.params))!];
    const records: TensorRunRecord[] = [];
    for (let t = 0; t < steps; t++) {
      const info = await opt.step(lossAt(t));
      if (!info) break;
      const second = opt.state.second;
      const zeros = xs[0].map(() => 0);
      records.push({
        loss: info.loss,
        delta: (await flat(info.delta)) ?? zeros,
        g: (await flat(info.g))!,
        m: (await flat(opt.state.m))!,
        v: await flat(second?.v),
        vHat: await flat(second?.vHat),
        eta: await flat(info.eta),
      });
      info.release();
      xs.push((await flat(opt.params))!);
    }
    return { status: opt.status, xs, steps: records };
  } finally {
    opt.dispose();
  }
}

/** A [2] parameter map for the 2-D problems. */
export const point = (x: ArrayLike<number>): TensorMap => ({ x: tf.tensor1d(Array.from(x)) });
