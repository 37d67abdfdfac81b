import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recipe, type OptimizerConfig } from '../../optim/config';
import type { ModelSettings } from '../../lab/types';
import { makeTask, type Dataset } from '../data';
import { flatten } from '../maps';
import { tokenBatch, type TokenBatch } from '../model/tokenBatch';
import { crossEntropy } from '../model/losses';
import {
  forward,
  initParams,
  makeDropoutMasks,
  paramShapes,
  transformer,
} from '../model/transformer';
import { TensorOptimizer } from '../optimizer';
import type { TensorMap } from '../tensorSpace';
import {
  etaStatistics,
  filterNormalizedDirection,
  hessianTopEigen,
  lossSlice,
  Race,
  speedupExperiment,
  tokenData,
  type RaceOptions,
} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ─── an independent float64 oracle of the tiny model's loss (plain arrays, no tfjs) ───────────

type P64 = Record<string, Float64Array>;

function oracleLoss(p: P64, s: ModelSettings, tokens: number[][], targets: number[][]): number {
  const D = s.dModel;
  const H = s.heads;
  const dh = D / H;
  const ln = (x: number[], g: Float64Array, b: Float64Array) => {
    const mu = x.reduce((a, c) => a + c, 0) / D;
    const vr = x.reduce((a, c) => a + (c - mu) ** 2, 0) / D;
    return x.map((c, i) => ((c - mu) / Math.sqrt(vr + 1e-5)) * g[i] + b[i]);
  };
  const lin = (x: number[], w: Float64Array, b: Float64Array, out: number) =>
    Array.from({ length: out }, (_, j) => x.reduce((a, xi, i) => a + xi * w[i * out + j], b[j]));
  let total = 0;
  let count = 0;
  tokens.forEach((seq, bi) => {
    const T = seq.length;
    let h = seq.map((tok, t) =>
      Array.from({ length: D }, (_, d) => p.tokEmb[tok * D + d] + p.posEmb[t * D + d]),
    );
    for (let l = 0; l < s.layers; l++) {
      const pre = `block${l}`;
      const qkv = h.map((x) =>
        lin(
          ln(x, p[`${pre}.ln1.g`], p[`${pre}.ln1.b`]),
          p[`${pre}.attn.wqkv`],
          p[`${pre}.attn.bqkv`],
          3 * D,
        ),
      );
      const merged = h.map(() => new Array<number>(D).fill(0));
      for (let hh = 0; hh < H; hh++) {
        for (let t = 0; t < T; t++) {
          const scores: number[] = [];
          for (let u = 0; u <= (s.head === 'lm' ? t : T - 1); u++) {
            let dot = 0;
            for (let j = 0; j < dh; j++) dot += qkv[t][hh * dh + j] * qkv[u][D + hh * dh + j];
            scores.push(dot / Math.sqrt(dh));
          }
          const mx = Math.max(...scores);
          const e = scores.map((c) => Math.exp(c - mx));
          const z = e.reduce((a, c) => a + c, 0);
          e.forEach((w, u) => {
            for (let j = 0; j < dh; j++)
              merged[t][hh * dh + j] += (w / z) * qkv[u][2 * D + hh * dh + j];
          });
        }
      }
      h = h.map((x, t) =>
        lin(merged[t], p[`${pre}.attn.wo`], p[`${pre}.attn.bo`], D).map((a, d) => x[d] + a),
      );
      h = h.map((x) => {
        const hid = lin(
          ln(x, p[`${pre}.ln2.g`], p[`${pre}.ln2.b`]),
          p[`${pre}.mlp.w1`],
          p[`${pre}.mlp.b1`],
          s.mlp,
        );
        const gelu = hid.map(
          (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
        );
        return lin(gelu, p[`${pre}.mlp.w2`], p[`${pre}.mlp.b2`], D).map((a, d) => x[d] + a);
      });
    }
    h.forEach((x, t) => {
      const y = targets[bi][t];
      if (y < 0) return;
      const logits = lin(ln(x, p['lnf.g'], p['lnf.b']), p['head.w'], p['head.b'], s.classes);
      const mx = Math.max(...logits);
      const lse = mx + Math.log(logits.reduce((a, c) => a + Math.exp(c - mx), 0));
      total += lse - logits[y];
      count++;
    });
  });
  return total / count;
}

/** ∇f by central differences in float64 (h = 1e-5: truncation ~1e-10, rounding ~1e-11). */
function fdGrad(f: (p: P64) => number, p: P64): P64 {
  const g: P64 = {};
  for (const k of Object.keys(p)) {
    g[k] = new Float64Array(p[k].length);
    for (let i = 0; i < p[k].length; i++) {
      const x = p[k][i];
      p[k][i] = x + 1e-5;
      const up = f(p);
      p[k][i] = x - 1e-5;
      const down = f(p);
      p[k][i] = x;
      g[k][i] = (up - down) / 2e-5;
    }
  }
  return g;
}

const mapP = (p: P64, f: (x: number, k: string, i: number) => number): P64 =>
  Object.fromEntries(Object.keys(p).map((k) => [k, Float64Array.from(p[k], (x, i) => f(x, k, i))]));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(
      worst,
      Math.abs(actual[i] - expected[i]) - (1e-4 + 1e-3 * Math.abs(expected[i])),
    );
  expect(worst, what).toBeLessThanOrEqual(0);
}

describe('one AdaSAM step of the transformer equals spec §4 by hand', () => {
  const tiny: ModelSettings = {
    layers: 1,
    dModel: 4,
    heads: 2,
    mlp: 6,
    dropout: 0,
    vocab: 3,
    seqLen: 3,
    head: 'lm',
    classes: 3,
  };
  const tokens = [
    [0, 1, 2],
    [2, 2, 1],
  ];
  const targets = [
    [1, 2, 0],
    [-1, 1, 0],
  ];
  // ε = 1e-3 keeps η = 1/max(ε, √v) smooth where |g| is tiny, so float32 vs float64 gradient
  // noise cannot flip an Adam-like sign step; two steps exercise m, v and v̂ carried over.
  const config: OptimizerConfig = recipe('adasam', 'paper', { lr: 0.01, rho: 0.05, eps: 1e-3 });

  it('matches a float64 finite-difference oracle over two steps (x, δ, η, losses)', async () => {
    const x0 = initParams(tiny, 11);
    const bt = tokenBatch(
      {
        size: 2,
        seqLen: 3,
        tokens: Int32Array.from(tokens.flat()),
        targets: Int32Array.from(targets.flat()),
      },
      'lm',
    );
    const opt = new TensorOptimizer(config, x0);
    let x: P64 = {};
    for (const k of Object.keys(x0)) x[k] = Float64Array.from(await x0[k].data());
    const f = (p: P64) => oracleLoss(p, tiny, tokens, targets);
    let m = mapP(x, () => 0);
    let v = mapP(x, () => 0);
    let vHat = mapP(x, () => config.eps ** 2); // paper preset: v̂₋₁ = ε²
    for (let t = 0; t < 2; t++) {
      // 4.1 clean gradient, 4.2 δ = ρ s/(‖s‖ + ξ), 4.3 g at x + δ
      const loss = f(x);
      const s = fdGrad(f, x);
      const sNorm = Math.sqrt(
        Object.values(s).reduce((a, arr) => a + arr.reduce((b, c) => b + c * c, 0), 0),
      );
      const delta = mapP(s, (c) => (c * config.rho) / (sNorm + config.perturbEps));
      const xPert = mapP(x, (c, k, i) => c + delta[k][i]);
      const lossPerturbed = f(xPert);
      const g = fdGrad(f, xPert);
      // 4.4–4.7 (paper preset: no bias correction, floor ε)
      m = mapP(m, (c, k, i) => config.beta1 * c + (1 - config.beta1) * g[k][i]);
      v = mapP(v, (c, k, i) => config.beta2 * c + (1 - config.beta2) * g[k][i] ** 2);
      vHat = mapP(vHat, (c, k, i) => Math.max(c, v[k][i]));
      const eta = mapP(vHat, (c) => 1 / Math.sqrt(c));
      x = mapP(x, (c, k, i) => c - config.lr * (m[k][i] / Math.sqrt(vHat[k][i])));

      const info = await opt.step((p) => transformer(tiny).loss(p, bt, null));
      expect(info).not.toBeNull();
      expect(info!.loss).toBeCloseTo(loss, 5);
      expect(info!.lossPerturbed!).toBeCloseTo(lossPerturbed, 5);
      expect(info!.sNorm!).toBeCloseTo(sNorm, 4);
      for (const k of Object.keys(x)) {
        expectClose(await info!.delta![k].data(), delta[k], `δ ${k} step ${t}`);
        expectClose(await info!.eta![k].data(), eta[k], `η ${k} step ${t}`);
        expectClose(await opt.params[k].data(), x[k], `x ${k} step ${t}`);
      }
      info!.release();
    }
    opt.dispose();
    tf.dispose([...Object.values(x0), bt.tokens, bt.targets]);
  });
});

// ─── training, leaks, dropout, Hessian, slice, speed-up ──────────────────────────────────────

/** A race of the transformer `model` on the task `data`. */
const raceOf = (
  o: Omit<RaceOptions<TokenBatch>, 'model' | 'data'> & { model: ModelSettings; data: Dataset },
) => new Race({ ...o, model: transformer(o.model), data: tokenData(o.data) });

const small = (data: {
  vocab: number;
  seqLen: number;
  head: 'lm' | 'classify';
  classes: number;
}): ModelSettings => ({
  layers: 1,
  dModel: 32,
  heads: 2,
  mlp: 64,
  dropout: 0,
  ...data,
});

describe('Race', () => {
  it('training a few hundred steps on modular addition reduces the loss', async () => {
    const data = makeTask({ kind: 'modadd', p: 7, trainFraction: 0.8 }, 1);
    const race = raceOf({
      model: small(data),
      data,
      runs: [{ label: 'AdaSAM', config: recipe('adasam', 'torch', { lr: 3e-3 }) }],
      batch: 16,
      seed: 1,
    });
    const losses: number[] = [];
    for (let t = 0; t < 300; t++) {
      const [r] = await race.round();
      if (r.kind !== 'step') throw new Error(`step ${t}: ${r.kind}`);
      losses.push(r.metrics.loss);
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(losses.slice(0, 10))).toBeGreaterThan(1.7); // ≈ ln 7 at the start
    expect(mean(losses.slice(-20))).toBeLessThan(0.5 * mean(losses.slice(0, 10)));
    const ev = await race.evaluate(0);
    expect(ev.trainAcc).toBeGreaterThan(0.6);
    race.dispose();
  });

  it('gives every run identical initial weights and batches, and leaks no tensors over 200 steps', async () => {
    const data = makeTask(
      { kind: 'reverse', length: 3, alphabet: 4, trainSize: 40, testSize: 10 },
      2,
    );
    const model = { ...small(data), dModel: 8, mlp: 8, dropout: 0.1 };
    const race = raceOf({
      model,
      data,
      batch: 4,
      seed: 3,
      snapshotEvery: 1000,
      runs: [
        { label: 'AdaSAM', config: recipe('adasam', 'paper', { lr: 1e-3 }) },
        { label: 'AdaSAM too', config: recipe('adasam', 'paper', { lr: 1e-3 }) },
        { label: 'SGD', config: recipe('sgd', 'paper', { lr: 0.05 }) },
      ],
    });
    const counts: number[] = [];
    for (let t = 1; t <= 200; t++) {
      const res = await race.round(t % 50 === 0 ? { heatmap: 'block0.attn.wqkv' } : undefined);
      if (t === 1) {
        const [a, b] = res;
        if (a.kind !== 'step' || b.kind !== 'step') throw new Error('no step');
        expect(b.metrics.loss).toBe(a.metrics.loss); // same x₀, same batch, same dropout mask
        expect(b.metrics.sharpness).toBe(a.metrics.sharpness);
      }
      if (t % 100 === 0) await race.evaluate(0);
      if (t === 2 || t === 200) counts.push(tf.memory().numTensors);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(race.runs.map((r) => r.step)).toEqual([200, 200, 200]);
    expect(race.runs[0].gradEvals).toBe(400);
    expect(race.runs[2].gradEvals).toBe(200);
    const before = tf.memory().numTensors;
    race.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('uses the same dropout mask in both gradient passes of a SAM step', async () => {
    const data = makeTask({ kind: 'majority', length: 5, trainSize: 20, testSize: 4 }, 4);
    const model = { ...small(data), dropout: 0.3 };
    const config = recipe('adasam', 'paper', { lr: 1e-3, rho: 0.5 });
    const race = raceOf({ model, data, runs: [{ label: 'a', config }], batch: 8, seed: 5 });
    const x0 = initParams(model, 5);
    const [r] = await race.round();
    if (r.kind !== 'step') throw new Error('no step');
    // By hand: the masks of step 0, s at x₀, δ = ρ s/‖s‖, f at x₀ + δ with the same masks.
    const bt = tokenBatch(data.batchAt(0, 8, 5), model.head);
    const expected = (masks: ReturnType<typeof makeDropoutMasks>) => {
      const lossFn = (p: TensorMap) =>
        crossEntropy(
          forward(p, bt.tokens, model, { dropoutMasks: masks }),
          bt.targets,
          model.classes,
        );
      const keys = Object.keys(x0);
      const s = tf.grads((...l: tf.Tensor[]) =>
        lossFn(Object.fromEntries(keys.map((k, i) => [k, l[i]]))),
      )(keys.map((k) => x0[k]));
      const n = Math.sqrt(s.reduce((a, g) => a + tf.sum(tf.square(g)).dataSync()[0], 0));
      const xp: TensorMap = Object.fromEntries(
        keys.map((k, i) => [k, tf.add(x0[k], tf.mul(s[i], 0.5 / n))]),
      );
      return lossFn(xp).dataSync()[0] - lossFn(x0).dataSync()[0];
    };
    const same = expected(makeDropoutMasks(model, 8, 5, 0));
    const other = expected(makeDropoutMasks(model, 8, 5, 1));
    expect(r.metrics.sharpness!).toBeCloseTo(same, 4);
    expect(Math.abs(r.metrics.sharpness! - other)).toBeGreaterThan(1e-3);
    race.dispose();
  });

  it('stops a diverging run, keeps its last good weights and lets the others go on', async () => {
    const data = makeTask({ kind: 'modadd', p: 5, trainFraction: 0.6 }, 1);
    const race = raceOf({
      model: small(data),
      data,
      batch: 8,
      seed: 1,
      runs: [
        { label: 'exploding', config: recipe('sgd', 'paper', { lr: 1e30 }) },
        { label: 'fine', config: recipe('adasam', 'paper', { lr: 1e-3 }) },
      ],
    });
    let diverged = null;
    let good: Float32Array | null = null;
    for (let t = 0; t < 6 && !diverged; t++) {
      const before = await flatten(race.runs[0].opt.params);
      const [a] = await race.round();
      if (a.kind === 'diverged') {
        diverged = a;
        good = before;
      }
    }
    expect(diverged).not.toBeNull();
    expect(diverged!.message).toMatch(/NaN\/Inf/);
    expect(await flatten(race.runs[0].opt.params)).toEqual(good);
    const [a, b] = await race.round();
    expect(a.kind).toBe('inactive');
    expect(b.kind).toBe('step');
    race.dispose();
  });
});

describe('measurements', () => {
  it('hessianTopEigen finds λ_max of a known quadratic', async () => {
    const a = tf.tensor1d([1, 3, 10, 0.5]);
    const params = { w: tf.tensor1d([0.3, -0.2, 0.1, 1]), u: tf.tensor2d([[0.5, 0.5]]) };
    // f = ½ Σ aᵢwᵢ² + u₀·u₁ (Hessian blocks: diag(a) and [[0,1],[1,0]]): λ_max = 10
    const lossFn = (p: TensorMap) =>
      tf.add(tf.mul(0.5, tf.sum(tf.mul(a, tf.square(p.w)))), tf.prod(p.u)) as tf.Scalar;
    const before = tf.memory().numTensors;
    const { lambdaMax, history, loss } = await hessianTopEigen(params, lossFn, {
      iters: 60,
      seed: 1,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(history).toHaveLength(60);
    expect(lambdaMax).toBeCloseTo(10, 2);
    // the loss where it was measured: ½(1·0.09 + 3·0.04 + 10·0.01 + 0.5·1) + 0.5·0.5 = 0.655
    expect(loss).toBeCloseTo(0.655, 5);
  });

  it('etaStatistics counts the coordinates at the ceiling η = 1/ε in each group', async () => {
    const eta = {
      a: tf.tensor1d([1e8, 1e8, 3, 40, 1e8]),
      b: tf.tensor2d([
        [2, 5],
        [7, 1e8],
      ]),
      c: tf.tensor1d([0.5, 9.99e7]),
    };
    const groups = { a: 'embed', b: 'block0', c: 'head' };
    const { histograms } = await etaStatistics(eta, groups, null, 40, 1e8);
    expect(histograms.map((h) => [h.group, h.atCeiling])).toEqual([
      ['embed', 3],
      ['block0', 1],
      // 9.99e7 is a large η, not the ceiling: log10 differs by 4e-4
      ['head', 0],
    ]);
    // without a ceiling nothing is counted
    const plain = await etaStatistics(eta, groups, null);
    expect(plain.histograms.every((h) => h.atCeiling === 0)).toBe(true);
    tf.dispose(Object.values(eta));
  });

  it('lossSlice: the grid is centred on f(x), directions are filter-normalized, the trajectory ends at (0, 0)', async () => {
    const data = makeTask({ kind: 'modadd', p: 5, trainFraction: 0.6 }, 1);
    const race = raceOf({
      model: small(data),
      data,
      runs: [{ label: 'a', config: recipe('adasam', 'torch', { lr: 1e-2 }) }],
      batch: 8,
      seed: 1,
      snapshotEvery: 5,
    });
    await race.snapshotInitial();
    for (let t = 0; t < 10; t++) await race.round();
    const params = race.runs[0].opt.params;
    const d = filterNormalizedDirection(params, 1, 1);
    const col = (t: tf.Tensor, j: number) =>
      tf.norm(tf.slice(t, [0, j], [t.shape[0], 1])).dataSync()[0];
    expect(col(d['block0.mlp.w1'], 3)).toBeCloseTo(col(params['block0.mlp.w1'], 3), 4);
    expect(tf.sum(tf.abs(d['block0.mlp.b1'])).dataSync()[0]).toBe(0);
    tf.dispose(Object.values(d));
    const fixed = race.fixedLoss();
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    for (const directions of ['filter-normalized', 'delta-random'] as const) {
      const out = await lossSlice(params, fixed.lossFn, {
        directions,
        n: 5,
        span: 0.5,
        seed: 1,
        snapshots: race.runs[0].snapshots,
        onProgress: (k) => void progress.push(k),
      });
      expect(out!.grid).toHaveLength(25);
      expect(out!.grid[12]).toBeCloseTo(out!.center, 4);
      expect(out!.grid.every(Number.isFinite)).toBe(true);
      expect(new Set(out!.grid).size).toBeGreaterThan(5);
      const last = out!.trajectory[out!.trajectory.length - 1];
      expect(out!.trajectory.map((p) => p.step)).toEqual([0, 5, 10]);
      expect(Math.abs(last.a) + Math.abs(last.b)).toBeLessThan(1e-5);
      expect(Math.abs(out!.trajectory[0].a) + Math.abs(out!.trajectory[0].b)).toBeGreaterThan(0);
    }
    expect(progress).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    // 'fit': the span is taken from the path, which then fills between 1/2 and 3/4 of the view
    const fixedSpan = await lossSlice(params, fixed.lossFn, {
      directions: 'filter-normalized',
      n: 3,
      span: 0.5,
      seed: 1,
      snapshots: race.runs[0].snapshots,
    });
    const fitted = await lossSlice(params, fixed.lossFn, {
      directions: 'filter-normalized',
      n: 3,
      span: 'fit',
      seed: 1,
      snapshots: race.runs[0].snapshots,
    });
    expect(fixedSpan!.span).toBe(0.5);
    expect(fitted!.trajectory).toEqual(fixedSpan!.trajectory);
    const reach = Math.max(
      ...fitted!.trajectory.map((p) => Math.max(Math.abs(p.a), Math.abs(p.b))),
    );
    expect(reach / fitted!.span).toBeGreaterThan(0.5);
    expect(reach / fitted!.span).toBeLessThan(0.75);
    expect(tf.memory().numTensors).toBe(before);
    fixed.dispose();
    race.dispose();
  });

  it('speedupExperiment trains each batch size with lr ∝ √b from the same x₀', async () => {
    const data = makeTask({ kind: 'modadd', p: 5, trainFraction: 0.6 }, 1);
    const model = small(data);
    const x0 = initParams(model, 1);
    const curves = await speedupExperiment({
      model: transformer(model),
      data: tokenData(data),
      x0,
      config: recipe('adasam', 'torch', { lr: 1e-3 }),
      batches: [4, 16],
      steps: 5,
      seed: 1,
    });
    expect(curves.map((c) => c.batch)).toEqual([4, 16]);
    expect(curves[1].lr).toBeCloseTo(2e-3, 12);
    expect(curves[0].losses).toHaveLength(5);
    expect(curves[1].losses.every(Number.isFinite)).toBe(true);
    expect(curves[0].losses[0]).not.toBe(curves[1].losses[0]); // different batches
    expect(curves.map((c) => c.reached)).toEqual([null, null]); // no target: no checks
    expect(curves[0].checks).toEqual([]);
    tf.dispose(Object.values(x0));
  });

  it('speedupExperiment with a target stops each batch size at its first check at or below it', async () => {
    const data = makeTask({ kind: 'modadd', p: 5, trainFraction: 0.6 }, 1);
    const model = small(data);
    const x0 = initParams(model, 1);
    const td = tokenData(data);
    const m = transformer(model);
    const start = (await td.evaluate(m, x0)).trainLoss;
    const run = (target: number) =>
      speedupExperiment({
        model: m,
        data: td,
        x0,
        config: recipe('adasam', 'torch', { lr: 1e-2 }),
        batches: [4, 8],
        steps: 12,
        seed: 1,
        target,
        evalEvery: 5,
      });
    // a target above the starting loss: reached at the first check (iteration 5)
    const easy = await run(start + 1);
    expect(easy.map((c) => c.reached)).toEqual([5, 5]);
    expect(easy[0].checks).toHaveLength(1);
    expect(Number.isNaN(easy[0].losses[5])).toBe(true); // nothing trained after it
    // an unreachable target: checks at 5, 10 and the last iteration, never reached
    const never = await run(-1);
    expect(never.map((c) => c.reached)).toEqual([null, null]);
    expect(never[1].checks.map((c) => c.step)).toEqual([5, 10, 12]);
    expect(never[1].losses.every(Number.isFinite)).toBe(true);
    // a target between: reached at the first check whose loss is at most it, none before
    const losses = never[0].checks.map((c) => c.trainLoss);
    const target = (Math.min(...losses) + Math.max(...losses)) / 2;
    const [mid] = await run(target);
    const first = never[0].checks.find((c) => c.trainLoss <= target)!;
    expect(mid.reached).toBe(first.step);
    expect(mid.checks.slice(0, -1).every((c) => c.trainLoss > target)).toBe(true);
    tf.dispose(Object.values(x0));
  });
});

it('paramShapes groups every parameter', () => {
  const groups = new Set(
    paramShapes({
      layers: 2,
      dModel: 32,
      heads: 2,
      mlp: 8,
      dropout: 0,
      vocab: 5,
      seqLen: 4,
      head: 'lm',
      classes: 5,
    }).map((p) => p.group),
  );
  expect([...groups]).toEqual(['embed', 'block0', 'block1', 'head']);
});
