/**
 * Exact equivalences of the fine-tuning engine on the tiny MRPC model (wasm backend):
 * vocabulary pruning ≡ the full vocabulary (weight decay 0, glue.md §1.5), gradient accumulation
 * ≡ the whole batch with dropout on (decisions.md, GLUE), both SAM passes on one dropout mask, and
 * a checkpoint + resume ≡ the uninterrupted run.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../glue/config';
import { bytesSource } from '../../glue/bytes';
import { openSafetensors } from '../../glue/safetensors';
import { recipe } from '../../optim/config';
import { WORD } from '../roberta/shape';
import { goldenExamples, tinyDir, useWasm } from '../roberta/tinyModel';
import { scatterRows } from '../roberta/vocab';
import { readMap } from '../tensorSpace';
import { stateFile, weightsFile } from './checkpoint';
import type { StepRecord, TrainSettings } from './finetune';
import { createRun, type Run } from './run';

beforeAll(useWasm);

const dir = tinyDir('mrpc');
const config = readConfig(readFileSync(dir + 'config.json', 'utf8'));
const modelBytes = new Uint8Array(readFileSync(dir + 'model.safetensors'));
const examples = goldenExamples('mrpc');

const settings = (over: Partial<TrainSettings> = {}): TrainSettings => ({
  config: recipe('adasam', 'torch', { lr: 1e-3, rho: 0.05 }),
  schedule: { kind: 'constant', warmup: 0, steps: 4 },
  batch: 6,
  microBatch: 6,
  seed: 7,
  shuffle: false,
  ...over,
});

async function run(
  s: TrainSettings,
  opts: { prune?: boolean; dropout?: number; weights?: Uint8Array; state?: Uint8Array } = {},
): Promise<Run> {
  return createRun({
    config,
    weights: await openSafetensors(bytesSource(opts.weights ?? modelBytes, 'model.safetensors')),
    weightsName: 'model.safetensors',
    head: { labels: 2, regression: false },
    train: examples,
    settings: s,
    prune: opts.prune ?? true,
    dropout: opts.dropout ?? 0,
    state: opts.state
      ? { file: await openSafetensors(bytesSource(opts.state, 'state')), name: 'state' }
      : undefined,
  });
}

async function steps(r: Run, n: number): Promise<StepRecord[]> {
  const out: StepRecord[] = [];
  for (let i = 0; i < n; i++) out.push((await r.ft.step())!);
  return out;
}

/** Every parameter on the host, the word table at full size. */
async function fullWeights(r: Run): Promise<Record<string, Float32Array>> {
  const host = await readMap(r.ft.params);
  if (r.ft.vocab) host[WORD] = scatterRows(r.fullWord, host[WORD], 32, r.ft.vocab);
  return host;
}

/**
 * The largest |a − b| / (1e-4 + 1e-3·|a|) over all parameters but the key biases: their true
 * gradient is 0 and adaptive steps turn its float32 rounding noise into moves of up to ~lr
 * (shared/roberta README §6), so summing in another order moves them differently.
 */
function maxDiff(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  let worst = 0;
  for (const k of Object.keys(a)) {
    expect(b[k].length).toBe(a[k].length);
    if (k.endsWith('attention.self.key.bias')) continue;
    a[k].forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - b[k][i]) / (1e-4 + 1e-3 * Math.abs(v)));
    });
  }
  return worst;
}

const recordsClose = (a: StepRecord[], b: StepRecord[], rel: number) =>
  a.every(
    (r, i) =>
      Math.abs(r.loss - b[i].loss) <= rel * Math.abs(r.loss) &&
      Math.abs(r.sNorm - b[i].sNorm) <= rel * r.sNorm &&
      Math.abs(r.lossPerturbed! - b[i].lossPerturbed!) <= rel * Math.abs(r.lossPerturbed!),
  );

describe('fine-tuning equivalences (tiny MRPC)', () => {
  it('vocabulary pruning equals the full 50,265-row vocabulary (weight decay 0)', async () => {
    const pruned = await run(settings({ config: recipe('adasam', 'paper', { lr: 1e-3 }) }));
    const full = await run(settings({ config: recipe('adasam', 'paper', { lr: 1e-3 }) }), {
      prune: false,
    });
    expect(pruned.ft.params[WORD].shape[0]).toBeLessThan(200);
    expect(full.ft.params[WORD].shape[0]).toBe(50265);
    const a = await steps(pruned, 2);
    const b = await steps(full, 2);
    expect(recordsClose(a, b, 1e-6), JSON.stringify([a, b])).toBe(true);
    expect(maxDiff(await fullWeights(pruned), await fullWeights(full))).toBeLessThan(1e-2);
    pruned.dispose();
    full.dispose();
  }, 120_000);

  it('gradient accumulation equals the whole batch, dropout on (masks keyed by row)', async () => {
    const whole = await run(settings({ shuffle: true, batch: 6 }), { dropout: 0.1 });
    const micro = await run(settings({ shuffle: true, batch: 6, microBatch: 4 }), {
      dropout: 0.1,
    });
    const a = await steps(whole, 2);
    const b = await steps(micro, 2);
    expect(recordsClose(a, b, 1e-5), JSON.stringify([a, b])).toBe(true);
    expect(maxDiff(await fullWeights(whole), await fullWeights(micro))).toBeLessThan(1);
    // and dropout is really on: without it the losses differ
    const plain = await run(settings({ shuffle: true }), { dropout: 0 });
    const c = await steps(plain, 1);
    expect(Math.abs(c[0].loss - a[0].loss)).toBeGreaterThan(1e-3);
    for (const r of [whole, micro, plain]) r.dispose();
  }, 120_000);

  it('both SAM passes see the same dropout masks (ρ → 0 gives f(x+δ) = f(x))', async () => {
    const r = await run(settings({ config: recipe('adasam', 'torch', { rho: 1e-9 }) }), {
      dropout: 0.1,
    });
    const [first, second] = await steps(r, 2);
    expect(Math.abs(first.lossPerturbed! - first.loss)).toBeLessThan(1e-6);
    // masks change from step to step (the second step's loss is not the first's)
    expect(Math.abs(second.loss - first.loss)).toBeGreaterThan(1e-4);
    r.dispose();
  });

  it('a checkpoint and resume continue the same run (weights, k, m, v, v̂, data position)', async () => {
    const s = settings({
      shuffle: true,
      batch: 4,
      schedule: { kind: 'linear', warmup: 0.25, steps: 4 },
    });
    const straight = await run(s, { dropout: 0.1 });
    const all = await steps(straight, 4);
    const first = await run(s, { dropout: 0.1 });
    await steps(first, 2);
    const weights = await weightsFile(first.ft, first.fullWord);
    const state = await stateFile(first.ft);
    first.dispose();
    const resumed = await run(s, { dropout: 0.1, weights, state });
    expect(resumed.ft.t).toBe(2);
    const rest = await steps(resumed, 2);
    expect(rest).toEqual(all.slice(2));
    expect(maxDiff(await fullWeights(straight), await fullWeights(resumed))).toBe(0);
    straight.dispose();
    resumed.dispose();
  }, 120_000);

  it('the checkpoint has Hugging Face names and the full vocabulary; unseen rows unchanged', async () => {
    const r = await run(settings());
    await steps(r, 1);
    const file = await openSafetensors(bytesSource(await weightsFile(r.ft, r.fullWord), 'ckpt'));
    const original = await openSafetensors(bytesSource(modelBytes, 'model'));
    expect(file.metadata.format).toBe('pt');
    expect(file.tensors.get(WORD)!.shape).toEqual([50265, 32]);
    expect(file.tensors.has('classifier.out_proj.weight')).toBe(true);
    const word = await file.read(WORD);
    const before = await original.read(WORD);
    expect(word.subarray(31414 * 32, 31415 * 32)).toEqual(before.subarray(31414 * 32, 31415 * 32));
    const row0 = 0; // <s> is in every row, so it moved
    expect(word.subarray(row0, 32)).not.toEqual(before.subarray(row0, 32));
    r.dispose();
    tf.disposeVariables();
  });
});
