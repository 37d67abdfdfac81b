/**
 * Three optimizer steps of every run in the tiny goldens (shared/roberta README §5–6): PyTorch
 * float64 oracles over one vector of all trainable tensors, compared at 1e-4 abs + 1e-3 rel.
 * Per-tensor sums are taken in float64 over the full word table (pruned rows scattered back), the
 * key biases of adaptive runs are skipped (their true gradient is 0; float32 noise moves them), and
 * the word row of an id outside the batch must stay bit-identical to the file.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../../optim/config';
import { makeBatch, disposeBatch } from '../roberta/batch';
import { WORD } from '../roberta/shape';
import { loadTiny, tinyGolden, useWasm, type TinyTask } from '../roberta/tinyModel';
import { scatterRows } from '../roberta/vocab';
import { readMap, type TensorMap } from '../tensorSpace';
import { FineTune } from './finetune';

const close = (got: number, want: number) => Math.abs(got - want) <= 1e-4 + 1e-3 * Math.abs(want);

beforeAll(useWasm);

async function norm(m: TensorMap): Promise<number> {
  let s = 0;
  for (const values of Object.values(await readMap(m))) for (const v of values) s += v * v;
  return Math.sqrt(s);
}

/** x with the word table scattered back to its full size, as float64-summable arrays. */
async function fullParams(
  x: TensorMap,
  tiny: Awaited<ReturnType<typeof loadTiny>>,
): Promise<Record<string, Float32Array>> {
  const host = await readMap(x);
  if (tiny.vocab) host[WORD] = scatterRows(tiny.fullWord, host[WORD], 32, tiny.vocab);
  return host;
}

async function checkRuns(task: TinyTask): Promise<void> {
  const g = tinyGolden(task);
  const noise = new Set<string>(g.optimizer.noiseGradientTensors.names);
  for (const [name, run] of Object.entries<{
    config: OptimizerConfig;
    steps: {
      loss: number;
      sNorm: number;
      gNorm: number;
      lossPerturbed?: number;
      params: Record<string, { sum: number; sumSq: number; changeSumSq: number }>;
      values: Record<string, unknown>;
    }[];
    finalLoss: number;
  }>(g.optimizer.runs)) {
    const tiny = await loadTiny(task);
    const x0 = await fullParams(tiny.params, tiny);
    const ft = new FineTune(
      tiny.model,
      tiny.params,
      tiny.examples,
      {
        config: run.config,
        schedule: { kind: 'constant', warmup: 0, steps: 3 },
        batch: 6,
        microBatch: 6,
        seed: 1,
        shuffle: false,
      },
      tiny.vocab,
    );
    tf.dispose(Object.values(tiny.params));
    const mismatches: string[] = [];
    const check = (what: string, got: number, want: number) => {
      if (!close(got, want)) mismatches.push(`${name} ${what}: ${got} vs golden ${want}`);
    };
    for (const [t, want] of run.steps.entries()) {
      let gNorm = NaN;
      const rec = await ft.step(async (info) => {
        gNorm = await norm(info.g);
      });
      expect(rec, `${name} step ${t} diverged`).not.toBeNull();
      check(`loss[${t}]`, rec!.loss, want.loss);
      check(`sNorm[${t}]`, rec!.sNorm, want.sNorm);
      check(`gNorm[${t}]`, gNorm, want.gNorm);
      if (want.lossPerturbed === undefined) expect(rec!.lossPerturbed).toBeNull();
      else check(`lossPerturbed[${t}]`, rec!.lossPerturbed!, want.lossPerturbed);
      const x = await fullParams(ft.params, tiny);
      for (const [tensor, stats] of Object.entries(want.params)) {
        if (run.config.adaptive && noise.has(tensor)) continue;
        let sum = 0;
        let sumSq = 0;
        let change = 0;
        x[tensor].forEach((v, i) => {
          sum += v;
          sumSq += v * v;
          change += (v - x0[tensor][i]) ** 2;
        });
        check(`${tensor}.sum[${t}]`, sum, stats.sum);
        check(`${tensor}.sumSq[${t}]`, sumSq, stats.sumSq);
        check(`${tensor}.changeSumSq[${t}]`, change, stats.changeSumSq);
      }
      for (const [tensor, values] of Object.entries(want.values)) {
        if (tensor === 'wordEmbeddingRows') {
          for (const [id, row] of Object.entries(values as Record<string, number[]>)) {
            const got = x[WORD].subarray(Number(id) * 32, Number(id) * 32 + 32);
            row.forEach((v, i) => check(`word row ${id}[${i}] step ${t}`, got[i], v));
          }
        } else
          (values as number[]).forEach((v, i) =>
            check(`${tensor}[${i}] step ${t}`, x[tensor][i], v),
          );
      }
      // an id outside the batch: its row never moves, bit for bit
      const absent = g.optimizer.trackedWordRows.absent as number;
      expect(x[WORD].subarray(absent * 32, absent * 32 + 32)).toEqual(
        x0[WORD].subarray(absent * 32, absent * 32 + 32),
      );
    }
    const batch = makeBatch(tiny.examples, {
      padId: 1,
      regression: task === 'stsb',
      vocab: tiny.vocab,
    });
    const final = tiny.model.loss(ft.params, batch, null);
    check('finalLoss', await final.array(), run.finalLoss);
    final.dispose();
    disposeBatch(batch);
    ft.dispose();
    expect(mismatches.slice(0, 5)).toEqual([]);
  }
}

describe('fine-tuning trajectories (tiny goldens, 3 full-batch steps)', () => {
  it('MRPC: sgd, amsgrad (paper, torch), sam, adasam (paper, torch)', async () => {
    await checkRuns('mrpc');
  }, 180_000);
  it('STS-B: adasam (paper), regression', async () => {
    await checkRuns('stsb');
  });
});
