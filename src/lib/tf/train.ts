/**
 * Training the lab's transformer with the AdaSAM family (spec/optimizer.md through
 * TensorOptimizer), and the measurements the page draws:
 *
 * - Race: two or more optimizers from identical initial weights (initialised once, copied per
 *   run) on identical batches (Dataset.batchAt(step)), stepped in turn (round-robin, one step
 *   each). A run that hits NaN/Inf stops and keeps its last good weights (spec §7.5).
 *   Dropout: the masks are made once per step outside the loss function, so both gradient
 *   passes of a SAM step see the same mask.
 * - Per-step diagnostics: sharpness f_B(x+δ) − f_B(x), ‖s‖, ‖δ‖ and cos(s, g).
 * - η statistics: per-layer-group histograms of log10 η and a pooled heatmap over one matrix.
 * - hessianTopEigen: λ_max by power iteration (von Mises) on Hessian-vector products.
 * - lossSlice: f on a plane x + a·d₁ + b·d₂ with filter-normalized random directions (Li et al.
 *   2018, "Visualizing the Loss Landscape of Neural Nets") or (δ, random), with the trajectory
 *   projected onto the plane.
 * - speedupExperiment: the paper's §4.3 / Figure 1 (Sun et al. 2023, arXiv:2303.00565): batch
 *   sizes 4…32 with lr ∝ √b, training loss against iterations.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../optim/config';
import type {
  EtaHeatmap,
  EtaHistogram,
  EvalMetrics,
  ModelSettings,
  RunSettings,
  SliceDirections,
  SpeedupCurve,
  StepMetrics,
} from '../lab/types';
import type { Batch, Dataset, Examples } from './data/types';
import {
  crossEntropy,
  disposeMasks,
  forward,
  initParams,
  lossAndAccuracy,
  makeDropoutMasks,
  paramShapes,
} from './model/transformer';
import { TensorOptimizer, type LossFn, type TensorStep } from './optimizer';
import { makeRng, mixSeed, STREAM } from './rng';
import { sumScalars, type TensorMap } from './tensorSpace';

// ─── losses on batches ───────────────────────────────────────────────────────────────────────

/** A batch as tensors: tokens int32 [B, T]; targets int32 [B] (classify) or [B, T] (lm). */
export interface BatchTensors {
  tokens: tf.Tensor2D;
  targets: tf.Tensor;
}

export function batchTensors(b: Batch, head: ModelSettings['head']): BatchTensors {
  return {
    tokens: tf.tensor2d(b.tokens, [b.size, b.seqLen], 'int32'),
    targets:
      head === 'lm'
        ? tf.tensor2d(b.targets, [b.size, b.seqLen], 'int32')
        : tf.tensor1d(b.targets, 'int32'),
  };
}

/** The minibatch loss f_B as a function of the parameters (what TensorOptimizer differentiates). */
export function makeLossFn(
  model: ModelSettings,
  bt: BatchTensors,
  masks: ReturnType<typeof makeDropoutMasks> = null,
): LossFn {
  return (p) =>
    crossEntropy(forward(p, bt.tokens, model, { dropoutMasks: masks }), bt.targets, model.classes);
}

/** Loss and accuracy of `params` over (up to `limit`) examples, in chunks, without dropout. */
export async function evaluateOn(
  params: TensorMap,
  model: ModelSettings,
  ex: Examples,
  limit = 1024,
  chunk = 256,
): Promise<{ loss: number; acc: number }> {
  const n = Math.min(ex.n, limit);
  const perEx = model.head === 'lm' ? model.seqLen : 1;
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for (let start = 0; start < n; start += chunk) {
    const B = Math.min(chunk, n - start);
    const batch: Batch = {
      size: B,
      seqLen: model.seqLen,
      tokens: ex.tokens.subarray(start * model.seqLen, (start + B) * model.seqLen),
      targets: ex.targets.subarray(start * perEx, (start + B) * perEx),
    };
    const out = tf.tidy(() => {
      const bt = batchTensors(batch, model.head);
      const r = lossAndAccuracy(forward(params, bt.tokens, model), bt.targets, model.classes);
      return tf.stack([tf.mul(r.loss, r.count), r.correct, r.count]); // [3]
    });
    const [l, c, k] = await out.data();
    out.dispose();
    lossSum += l;
    correct += c;
    count += k;
  }
  return { loss: lossSum / Math.max(count, 1), acc: correct / Math.max(count, 1) };
}

// ─── η statistics ────────────────────────────────────────────────────────────────────────────

const HEATMAP_MAX = 64;

/**
 * log10 η per layer group as histograms with shared edges (bins equal-width over the global
 * log10 range), and the named matrix's log10 η average-pooled to at most 64×64.
 */
export async function etaStatistics(
  eta: TensorMap,
  groups: Record<string, string>,
  heatmapParam: string | null,
  bins = 40,
): Promise<{ histograms: EtaHistogram[]; heatmap: EtaHeatmap | null }> {
  const logs: Record<string, Float32Array> = {};
  let lo = Infinity;
  let hi = -Infinity;
  for (const name of Object.keys(eta)) {
    const values = (await eta[name].data()) as Float32Array;
    const l = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      l[i] = Math.log10(values[i]);
      if (l[i] < lo) lo = l[i];
      if (l[i] > hi) hi = l[i];
    }
    logs[name] = l;
  }
  if (!(hi > lo)) hi = lo + 1; // all η equal (e.g. the first steps): one non-empty bin
  const edges = Float32Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const byGroup = new Map<string, Float32Array[]>();
  for (const name of Object.keys(logs)) {
    const g = groups[name] ?? 'other';
    byGroup.set(g, [...(byGroup.get(g) ?? []), logs[name]]);
  }
  const histograms: EtaHistogram[] = [];
  for (const [group, arrays] of byGroup) {
    const counts = new Uint32Array(bins);
    const all = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let off = 0;
    for (const a of arrays) {
      all.set(a, off);
      off += a.length;
      for (const x of a)
        counts[Math.min(bins - 1, Math.max(0, Math.floor(((x - lo) / (hi - lo)) * bins)))]++;
    }
    all.sort();
    histograms.push({
      group,
      edges,
      counts,
      min: all[0],
      max: all[all.length - 1],
      median: all[all.length >> 1],
    });
  }
  let heatmap: EtaHeatmap | null = null;
  const m = heatmapParam ? logs[heatmapParam] : undefined;
  if (heatmapParam && m) {
    const shape = eta[heatmapParam].shape;
    const rows = shape.length === 2 ? shape[0] : 1;
    const cols = shape.length === 2 ? shape[1] : m.length;
    const gr = Math.min(rows, HEATMAP_MAX);
    const gc = Math.min(cols, HEATMAP_MAX);
    const sum = new Float64Array(gr * gc);
    const cnt = new Uint32Array(gr * gc);
    for (let r = 0; r < rows; r++) {
      const R = Math.floor((r * gr) / rows);
      for (let c = 0; c < cols; c++) {
        const k = R * gc + Math.floor((c * gc) / cols);
        sum[k] += m[r * cols + c];
        cnt[k]++;
      }
    }
    heatmap = {
      param: heatmapParam,
      shape: [rows, cols],
      gridShape: [gr, gc],
      log10Eta: Float32Array.from(sum, (s, k) => s / cnt[k]),
    };
  }
  return { histograms, heatmap };
}

// ─── the race ────────────────────────────────────────────────────────────────────────────────

export interface RaceOptions {
  model: ModelSettings;
  data: Dataset;
  runs: RunSettings[];
  batch: number;
  seed: number;
  /** keep a CPU copy of each run's weights every this many steps (for the slice's trajectory) */
  snapshotEvery?: number;
  /** at most this many snapshots per run; beyond it every other one is dropped and the interval doubles */
  maxSnapshots?: number;
}

export interface Snapshot {
  step: number;
  /** the parameters concatenated in the model's key order */
  flat: Float32Array;
}

export interface RaceRun {
  label: string;
  config: OptimizerConfig;
  opt: TensorOptimizer;
  step: number;
  gradEvals: number;
  wallMs: number;
  snapshots: Snapshot[];
  snapshotEvery: number;
}

export type RunStepResult =
  | {
      kind: 'step';
      metrics: StepMetrics;
      eta?: { histograms: EtaHistogram[]; heatmap: EtaHeatmap | null };
    }
  | { kind: 'diverged'; run: number; step: number; message: string }
  | { kind: 'inactive' };

/** Reads every parameter into one Float32Array in key order. */
export async function flatten(m: TensorMap): Promise<Float32Array> {
  const parts = await Promise.all(
    Object.keys(m).map(async (k) => (await m[k].data()) as Float32Array),
  );
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export class Race {
  readonly model: ModelSettings;
  readonly data: Dataset;
  readonly batch: number;
  readonly seed: number;
  readonly runs: RaceRun[];
  /** the shared initial weights x₀ (kept for the speed-up experiment) */
  readonly x0: TensorMap;
  readonly groups: Record<string, string>;
  readonly #maxSnapshots: number;

  /** Initialises x₀ once from the seed and gives every run its own copy; throws ConfigError for a bad config. */
  constructor(o: RaceOptions) {
    this.model = o.model;
    this.data = o.data;
    this.batch = o.batch;
    this.seed = o.seed;
    this.#maxSnapshots = o.maxSnapshots ?? 64;
    this.groups = Object.fromEntries(paramShapes(o.model).map((p) => [p.name, p.group]));
    this.x0 = initParams(o.model, o.seed);
    const runs: RaceRun[] = [];
    try {
      for (const r of o.runs) {
        runs.push({
          label: r.label,
          config: r.config,
          opt: new TensorOptimizer(r.config, this.x0),
          step: 0,
          gradEvals: 0,
          wallMs: 0,
          snapshots: [],
          snapshotEvery: Math.max(1, o.snapshotEvery ?? 10),
        });
      }
    } catch (err) {
      for (const r of runs) r.opt.dispose();
      tf.dispose(Object.values(this.x0));
      throw err;
    }
    this.runs = runs;
  }

  /** The step every active run has reached (the race's clock). */
  get step(): number {
    const active = this.runs.filter((r) => r.opt.status === 'ok');
    return Math.min(...(active.length ? active : this.runs).map((r) => r.step));
  }

  get active(): boolean {
    return this.runs.some((r) => r.opt.status === 'ok');
  }

  /** Records step 0 (the initial weights) as every run's first snapshot. */
  async snapshotInitial(): Promise<void> {
    const flat = await flatten(this.x0);
    for (const r of this.runs)
      if (r.snapshots.length === 0) r.snapshots.push({ step: 0, flat: flat.slice() });
  }

  /**
   * One iteration of run i on batch B_{step}. With `etaFor`, also returns the η statistics of
   * this step (adaptive runs only; `etaFor` names the heatmap's matrix or is null).
   */
  async stepRun(i: number, etaFor?: { heatmap: string | null }): Promise<RunStepResult> {
    const run = this.runs[i];
    if (run.opt.status !== 'ok') return { kind: 'inactive' };
    const bt = batchTensors(this.data.batchAt(run.step, this.batch, this.seed), this.model.head);
    // The same masks serve the clean and the perturbed pass: drawn here, outside the loss function.
    const masks = makeDropoutMasks(this.model, this.batch, this.seed, run.step);
    let info: TensorStep | null;
    const t0 = performance.now();
    try {
      info = await run.opt.step(makeLossFn(this.model, bt, masks));
    } finally {
      tf.dispose([bt.tokens, bt.targets]);
      disposeMasks(masks);
    }
    run.wallMs += performance.now() - t0;
    if (!info) {
      return {
        kind: 'diverged',
        run: i,
        step: run.step,
        message: `${run.label} hit NaN/Inf at step ${run.step}; it stopped and keeps the weights of step ${run.step}`,
      };
    }
    run.step++;
    run.gradEvals += info.gradEvals;
    try {
      const diag = tf.tidy(() => {
        const dot = (a: TensorMap, b: TensorMap) =>
          sumScalars(Object.keys(a).map((k) => tf.sum(tf.mul(a[k], b[k]))));
        const ss = dot(info.s, info.s);
        const gg = dot(info.g, info.g);
        const dd = info.delta ? dot(info.delta, info.delta) : tf.scalar(0);
        return tf.stack([
          tf.sqrt(ss),
          tf.sqrt(dd),
          tf.div(dot(info.s, info.g), tf.maximum(tf.sqrt(tf.mul(ss, gg)), 1e-30)),
        ]); // [3]
      });
      const [sNorm, deltaNorm, cosSG] = await diag.data();
      diag.dispose();
      const metrics: StepMetrics = {
        run: i,
        step: run.step,
        gradEvals: run.gradEvals,
        wallMs: run.wallMs,
        loss: info.loss,
        sharpness: info.lossPerturbed === null ? null : info.lossPerturbed - info.loss,
        sNorm,
        deltaNorm,
        cosSG,
      };
      const eta =
        etaFor && info.eta ? await etaStatistics(info.eta, this.groups, etaFor.heatmap) : undefined;
      await this.#maybeSnapshot(run);
      return { kind: 'step', metrics, eta };
    } finally {
      info.release();
    }
  }

  /** One step of every active run, in turn, on the same batch (identical batch order). */
  async round(etaFor?: { heatmap: string | null }): Promise<RunStepResult[]> {
    const out: RunStepResult[] = [];
    for (let i = 0; i < this.runs.length; i++) out.push(await this.stepRun(i, etaFor));
    return out;
  }

  async evaluate(i: number): Promise<EvalMetrics> {
    const run = this.runs[i];
    const test = await evaluateOn(run.opt.params, this.model, this.data.test);
    const train = await evaluateOn(run.opt.params, this.model, this.data.train, 512);
    return {
      run: i,
      step: run.step,
      gradEvals: run.gradEvals,
      wallMs: run.wallMs,
      testLoss: test.loss,
      testAcc: test.acc,
      trainLoss: train.loss,
      trainAcc: train.acc,
    };
  }

  /** A fixed training batch (iteration 0's, without dropout) for the Hessian and the slice. */
  fixedLoss(batchSize = this.batch): { lossFn: LossFn; dispose: () => void } {
    const bt = batchTensors(this.data.batchAt(0, batchSize, this.seed), this.model.head);
    return {
      lossFn: makeLossFn(this.model, bt),
      dispose: () => tf.dispose([bt.tokens, bt.targets]),
    };
  }

  async #maybeSnapshot(run: RaceRun): Promise<void> {
    if (run.step % run.snapshotEvery !== 0) return;
    run.snapshots.push({ step: run.step, flat: await flatten(run.opt.params) });
    if (run.snapshots.length > this.#maxSnapshots) {
      run.snapshots = run.snapshots.filter((_, k) => k % 2 === 0);
      run.snapshotEvery *= 2;
    }
  }

  dispose(): void {
    for (const r of this.runs) r.opt.dispose();
    tf.dispose(Object.values(this.x0));
  }
}

// ─── Hessian ─────────────────────────────────────────────────────────────────────────────────

/**
 * Largest-magnitude Hessian eigenvalue of f at `params` by power iteration:
 *   v ← Hv/‖Hv‖,  λ = ⟨v, Hv⟩ (Rayleigh quotient, v unit)
 * The Hessian-vector product is the central difference of gradients,
 *   Hv ≈ [∇f(x + εv) − ∇f(x − εv)] / (2ε),
 * exact for quadratics and O(ε²) otherwise. (tfjs 4.22 cannot differentiate ⟨∇f, v⟩ through
 * this model's gradients: the nested tf.grads reports that y does not depend on x.)
 * v₀ is seeded, so the same seed gives the same answer.
 */
export async function hessianTopEigen(
  params: TensorMap,
  lossFn: LossFn,
  opts: { iters?: number; seed?: number; epsilon?: number; shouldStop?: () => boolean } = {},
): Promise<{ lambdaMax: number; history: number[] }> {
  const iters = opts.iters ?? 20;
  const eps = opts.epsilon ?? 1e-3;
  const keys = Object.keys(params);
  const grads = tf.grads((...leaves: tf.Tensor[]) =>
    lossFn(Object.fromEntries(keys.map((k, i) => [k, leaves[i]]))),
  );
  const rng = makeRng(mixSeed(opts.seed ?? 0, STREAM.hessian));
  let v: tf.Tensor[] = tf.tidy(() => {
    const raw = keys.map((k) =>
      tf.tensor(
        Float32Array.from({ length: params[k].size }, () => rng.normal()),
        params[k].shape,
      ),
    );
    const n = tf.sqrt(sumScalars(raw.map((r) => tf.sum(tf.square(r)))));
    return raw.map((r) => tf.div(r, n));
  });
  const history: number[] = [];
  try {
    for (let it = 0; it < iters && !opts.shouldStop?.(); it++) {
      const [next, lambda] = tf.tidy(() => {
        const gp = grads(keys.map((k, i) => tf.add(params[k], tf.mul(v[i], eps))));
        const gm = grads(keys.map((k, i) => tf.sub(params[k], tf.mul(v[i], eps))));
        const hv = gp.map((g, i) => tf.div(tf.sub(g, gm[i]), 2 * eps));
        const lam = sumScalars(hv.map((h, i) => tf.sum(tf.mul(h, v[i]))));
        const n = tf.maximum(tf.sqrt(sumScalars(hv.map((h) => tf.sum(tf.square(h))))), 1e-30);
        return [hv.map((h) => tf.div(h, n)), lam] as [tf.Tensor[], tf.Tensor];
      });
      history.push((await lambda.data())[0]);
      lambda.dispose();
      tf.dispose(v);
      v = next;
    }
  } finally {
    tf.dispose(v);
  }
  return { lambdaMax: history.length ? history[history.length - 1] : NaN, history };
}

// ─── loss-landscape slice ────────────────────────────────────────────────────────────────────

/**
 * A seeded random direction with Li et al.'s filter normalization: for every filter, the
 * direction is scaled to the norm of the same filter of the weights. A filter is an output unit:
 * a column of a dense kernel [in, out], a row (one token or position) of an embedding table.
 * 1-D parameters (biases, LayerNorm) get 0, as in Li et al. (their "ignore biasbn").
 */
export function filterNormalizedDirection(
  params: TensorMap,
  seed: number,
  which: number,
): TensorMap {
  const rng = makeRng(mixSeed(seed, STREAM.direction, which));
  return tf.tidy(() => {
    const out: TensorMap = {};
    for (const k of Object.keys(params)) {
      const w = params[k];
      if (w.rank < 2) {
        out[k] = tf.zerosLike(w);
        continue;
      }
      const d = tf.tensor(
        Float32Array.from({ length: w.size }, () => rng.normal()),
        w.shape,
      ); // like w
      const axis = k === 'tokEmb' || k === 'posEmb' ? 1 : 0; // reduce over a row (embeddings) or a column (kernels)
      const dn = tf.norm(d, 'euclidean', axis, true); // [V, 1] or [1, out]
      const wn = tf.norm(w, 'euclidean', axis, true); // same
      out[k] = tf.mul(d, tf.div(wn, tf.maximum(dn, 1e-12))); // like w
    }
    return out;
  });
}

const dotMaps = (a: TensorMap, b: TensorMap): tf.Scalar =>
  sumScalars(Object.keys(a).map((k) => tf.sum(tf.mul(a[k], b[k])))) as tf.Scalar;

export interface SliceOptions {
  directions: SliceDirections;
  /** grid points per axis (≤ 41) */
  n: number;
  /** a, b ∈ [−span, span] in units of the directions (filter-normalized: ~ the weights' own scale) */
  span: number;
  seed: number;
  /** for 'delta-random': the run's config, for the δ direction (SAM: s; ASAM: (|x|+η_A)²⊙s) */
  config?: OptimizerConfig;
  /** weight snapshots to project onto the plane */
  snapshots?: Snapshot[];
  onProgress?: (done: number, total: number) => void | Promise<void>;
  shouldStop?: () => boolean;
}

/**
 * f(x + a·d₁ + b·d₂) on an n×n grid (row-major, b outer) and the snapshots projected on the
 * plane: r = x_k − x is mapped to the least-squares (a, b) with a·d₁ + b·d₂ ≈ r (the 2×2 normal
 * equations, since d₁ and d₂ need not be orthogonal). 'delta-random': d₁ is the SAM ascent
 * direction at x (on the same loss) scaled to the norm of a filter-normalized random d₂, and d₂
 * is made orthogonal to d₁ (Gram–Schmidt) and rescaled to its norm. Returns null when stopped.
 */
export async function lossSlice(
  params: TensorMap,
  lossFn: LossFn,
  o: SliceOptions,
): Promise<{
  grid: Float32Array;
  center: number;
  trajectory: { step: number; a: number; b: number }[];
} | null> {
  const n = Math.max(2, Math.min(41, Math.floor(o.n)));
  const keys = Object.keys(params);
  const d2raw = filterNormalizedDirection(params, o.seed, 2);
  let d1: TensorMap;
  let d2: TensorMap;
  if (o.directions === 'filter-normalized') {
    d1 = filterNormalizedDirection(params, o.seed, 1);
    d2 = d2raw;
  } else {
    const grads = tf.grads((...leaves: tf.Tensor[]) =>
      lossFn(Object.fromEntries(keys.map((k, i) => [k, leaves[i]]))),
    );
    [d1, d2] = tf.tidy(() => {
      const s = grads(keys.map((k) => params[k]));
      const asam = o.config?.perturbation === 'asam';
      const dir: TensorMap = Object.fromEntries(
        keys.map((k, i) => [
          k,
          asam ? tf.mul(tf.square(tf.add(tf.abs(params[k]), o.config!.asamEta)), s[i]) : s[i],
        ]),
      );
      const target = tf.sqrt(dotMaps(d2raw, d2raw));
      const c1 = tf.div(target, tf.maximum(tf.sqrt(dotMaps(dir, dir)), 1e-30));
      const a: TensorMap = Object.fromEntries(keys.map((k) => [k, tf.mul(dir[k], c1)]));
      const proj = tf.div(dotMaps(d2raw, a), tf.maximum(dotMaps(a, a), 1e-30));
      const orth: TensorMap = Object.fromEntries(
        keys.map((k) => [k, tf.sub(d2raw[k], tf.mul(a[k], proj))]),
      );
      const c2 = tf.div(target, tf.maximum(tf.sqrt(dotMaps(orth, orth)), 1e-30));
      return [a, Object.fromEntries(keys.map((k) => [k, tf.mul(orth[k], c2)]))] as [
        TensorMap,
        TensorMap,
      ];
    });
    tf.dispose(Object.values(d2raw));
  }
  try {
    const coords = Float64Array.from({ length: n }, (_, i) => -o.span + (2 * o.span * i) / (n - 1));
    const grid = new Float32Array(n * n);
    for (let j = 0; j < n; j++) {
      if (o.shouldStop?.()) return null;
      const row = tf.tidy(() =>
        tf.stack(
          Array.from(coords, (a) => {
            const b = coords[j];
            const p: TensorMap = Object.fromEntries(
              keys.map((k) => [k, tf.add(params[k], tf.add(tf.mul(d1[k], a), tf.mul(d2[k], b)))]),
            );
            return lossFn(p);
          }),
        ),
      ); // [n]
      grid.set((await row.data()) as Float32Array, j * n);
      row.dispose();
      await o.onProgress?.(j + 1, n);
    }
    const centerT = tf.tidy(() => lossFn(params));
    const center = (await centerT.data())[0];
    centerT.dispose();
    const trajectory = o.snapshots?.length
      ? project(await flatten(params), await flatten(d1), await flatten(d2), o.snapshots)
      : [];
    return { grid, center, trajectory };
  } finally {
    tf.dispose([...Object.values(d1), ...Object.values(d2)]);
  }
}

/** Least-squares coordinates of (snapshot − x) in span(d₁, d₂), in float64. */
function project(
  x: Float32Array,
  d1: Float32Array,
  d2: Float32Array,
  snaps: Snapshot[],
): { step: number; a: number; b: number }[] {
  let g11 = 0;
  let g12 = 0;
  let g22 = 0;
  for (let i = 0; i < x.length; i++) {
    g11 += d1[i] * d1[i];
    g12 += d1[i] * d2[i];
    g22 += d2[i] * d2[i];
  }
  const det = g11 * g22 - g12 * g12 || 1e-300;
  return snaps.map(({ step, flat }) => {
    let r1 = 0;
    let r2 = 0;
    for (let i = 0; i < x.length; i++) {
      const r = flat[i] - x[i];
      r1 += d1[i] * r;
      r2 += d2[i] * r;
    }
    return { step, a: (g22 * r1 - g12 * r2) / det, b: (g11 * r2 - g12 * r1) / det };
  });
}

// ─── linear speed-up ─────────────────────────────────────────────────────────────────────────

export interface SpeedupOptions {
  model: ModelSettings;
  data: Dataset;
  x0: TensorMap;
  config: OptimizerConfig;
  /** default [4, 8, 16, 32] (the paper's §4.3) */
  batches?: number[];
  steps: number;
  seed: number;
  onProgress?: (batch: number, step: number, total: number) => void | Promise<void>;
  shouldStop?: () => boolean;
}

/**
 * Trains `config` from the same x₀ once per batch size b with lr_b = lr·√(b / b₀), b₀ the
 * first batch size, and returns the training loss per iteration (NaN after a divergence or a stop).
 */
export async function speedupExperiment(o: SpeedupOptions): Promise<SpeedupCurve[]> {
  const batches = o.batches ?? [4, 8, 16, 32];
  const curves: SpeedupCurve[] = [];
  for (const b of batches) {
    const lr = o.config.lr * Math.sqrt(b / batches[0]);
    const opt = new TensorOptimizer({ ...o.config, lr }, o.x0);
    const losses = new Float32Array(o.steps).fill(NaN);
    try {
      for (let t = 0; t < o.steps && !o.shouldStop?.(); t++) {
        const bt = batchTensors(o.data.batchAt(t, b, o.seed), o.model.head);
        const masks = makeDropoutMasks(o.model, b, o.seed, t);
        let info: TensorStep | null;
        try {
          info = await opt.step(makeLossFn(o.model, bt, masks));
        } finally {
          tf.dispose([bt.tokens, bt.targets]);
          disposeMasks(masks);
        }
        if (!info) break;
        losses[t] = info.loss;
        info.release();
        await o.onProgress?.(b, t + 1, o.steps);
      }
    } finally {
      opt.dispose();
    }
    curves.push({ batch: b, lr, losses });
  }
  return curves;
}
