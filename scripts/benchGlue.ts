/**
 * The GLUE engine's benchmark (issue 8, item 9): a RoBERTa classifier with random weights at batch
 * 16, sequence length 128 (all rows full length, dropout 0.1), on the wasm backend in Node: median
 * ms per AMSGrad step and per AdaSAM step (paper preset, lr 1e-5, ρ 0.01), their ratio (target
 * ≤ 2.05), and the peak tensor memory of an AdaSAM step (tf.profile's peakBytes; target ≤ 3 GB with
 * the pruned vocabulary). Models: distilroberta-base (6 × 768, 12 heads, FFN 3072) and the small
 * preset (6 × 384, 12 heads, FFN 1536), each with the full 50,265-row vocabulary and pruned to
 * 8,000 rows. A configuration that fails (the wasm heap is at most 4 GB) reports why.
 *
 * Slow (minutes per configuration on 2 cores), so `npm run bench` runs it only with `--glue`;
 * `--glue=small` or `--glue=distilroberta-base` picks one preset.
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { recipe } from '../src/lib/optim/config';
import { makeRng } from '../src/lib/math/rng';
import { pickBackend } from '../src/lib/tf/backend';
import { FineTune } from '../src/lib/tf/glue/finetune';
import type { EncodedExample } from '../src/lib/tf/roberta/batch';
import { RobertaModel } from '../src/lib/tf/roberta/model';
import { paramCount, PRESET_SHAPES, robertaShape } from '../src/lib/tf/roberta/shape';
import { pruneVocab, type VocabMap } from '../src/lib/tf/roberta/vocab';

export const GLUE_BATCH = 16;
export const GLUE_LENGTH = 128;
const FULL_VOCAB = 50265;
const PRUNED_ROWS = 8000;

type Preset = keyof typeof PRESET_SHAPES;

export interface GlueBenchCase {
  preset: Preset;
  vocab: number;
  params: number;
  amsgradMs: number;
  adasamMs: number;
  /** adasamMs / amsgradMs (target ≤ 2.05) */
  ratio: number;
  /** peak bytes of tensors during one AdaSAM step, weights and optimizer state included */
  adasamPeakBytes: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Random full-length rows over the ids 4 … rows+3 (the specials come on top). */
function randomData(rows: number, seed: number): EncodedExample[] {
  const rng = makeRng(seed);
  return Array.from({ length: GLUE_BATCH }, () => {
    const seq = [0];
    for (let t = 1; t < GLUE_LENGTH - 1; t++) seq.push(4 + rng.int(rows));
    seq.push(2);
    return { ids: seq, label: rng.int(2) };
  });
}

async function timeOne(preset: Preset, vocabRows: number, steps: number): Promise<GlueBenchCase> {
  const pruned = vocabRows < FULL_VOCAB;
  const data = randomData(PRUNED_ROWS - 5, 1);
  // a task whose data holds 7,995 distinct ids (+ 5 specials): the batch uses some of them
  const taskIds = Array.from({ length: PRUNED_ROWS - 5 }, (_, i) => 4 + i);
  const vocab: VocabMap | null = pruned ? pruneVocab([taskIds], FULL_VOCAB) : null;
  const shape = robertaShape({
    ...PRESET_SHAPES[preset],
    vocab: vocab ? vocab.kept.length : FULL_VOCAB,
  });
  const model = new RobertaModel(shape);
  const settings = (rho: number) => ({
    config: recipe(rho > 0 ? 'adasam' : 'amsgrad', 'paper', { lr: 1e-5, rho }),
    schedule: { kind: 'constant' as const, warmup: 0, steps: steps + 1 },
    batch: GLUE_BATCH,
    microBatch: GLUE_BATCH,
    seed: 1,
    shuffle: false,
  });
  const time = async (rho: number): Promise<{ ms: number; peak: number }> => {
    const x0 = model.init(1);
    const ft = new FineTune(model, x0, data, settings(rho), vocab);
    tf.dispose(Object.values(x0));
    try {
      await ft.step(); // warm-up: kernels, first allocations
      const times: number[] = [];
      let peak = 0;
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        const info = await tf.profile(async () => {
          await ft.step();
        });
        times.push(performance.now() - t0);
        peak = Math.max(peak, info.peakBytes);
      }
      return { ms: median(times), peak };
    } finally {
      ft.dispose();
    }
  };
  const amsgrad = await time(0);
  const adasam = await time(0.01);
  return {
    preset,
    vocab: shape.vocab,
    params: paramCount(model.params),
    amsgradMs: Math.round(amsgrad.ms),
    adasamMs: Math.round(adasam.ms),
    ratio: Number((adasam.ms / amsgrad.ms).toFixed(3)),
    adasamPeakBytes: adasam.peak,
  };
}

export interface GlueBench {
  backend: string;
  batch: number;
  length: number;
  cases: (GlueBenchCase | { preset: Preset; vocab: number; skipped: string })[];
}

/** Every case of `presets`, each either figures or { skipped: why }. */
export async function benchGlue(
  presets: Preset[] = ['small', 'distilroberta-base'],
  steps = 2,
): Promise<GlueBench> {
  const choice = await pickBackend('wasm', {
    nodeWasmDir: resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/',
  });
  if (choice.name !== 'wasm')
    throw new Error(`the wasm backend did not start: ${choice.fallbacks.join('; ')}`);
  const cases: GlueBench['cases'] = [];
  for (const preset of presets)
    for (const rows of [PRUNED_ROWS, FULL_VOCAB]) {
      try {
        cases.push(await timeOne(preset, rows, steps));
      } catch (e) {
        cases.push({ preset, vocab: rows, skipped: e instanceof Error ? e.message : String(e) });
      }
    }
  return { backend: 'wasm', batch: GLUE_BATCH, length: GLUE_LENGTH, cases };
}
