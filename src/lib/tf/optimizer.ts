/**
 * The AdaSAM family on TF.js tensors: lib/optim's ascend and update over tensorSpace, with the
 * state (x, m, v, v̂) held in tf.Variables and updated in place by assign, so a large model keeps
 * one copy of each between steps.
 *
 * One step (spec §4): the clean and the perturbed gradient, x + δ built as new tensors (the
 * variables are never moved to the perturbed point, so there is nothing to restore and nothing
 * is undone by subtracting δ); one readback of the scalars and of the finiteness of loss, s and
 * g; then the element-wise update, committed by assign (spec §7.5: a non-finite step commits
 * nothing). The op path of leafStep.ts runs it one parameter tensor at a time and frees each
 * step tensor as soon as it is used: sums of |g|, |m|, |x| and |v| show the update cannot
 * overflow (optim/overflow.ts), so each tensor is committed as soon as its update is made; a step
 * they do not clear is checked in full first. On cpu and wasm the host step of ./host does the
 * same work as loops over the tensors' own arrays (no kernels besides the two gradient passes,
 * the op path's bits). On WebGPU the ascent and the update run the fused programs of ./fused,
 * and every tensor's update is held until the flag is read. The op path (`fused: false`; webgl
 * always) is their reference.
 *
 * @example
 *   const opt = new TensorOptimizer(resolveConfig({ lr: 0.05, rho: 0.05 }), { w: tf.zeros([3]) });
 *   const info = await opt.step((p) => tf.losses.meanSquaredError(y, predict(p, X)));
 *   info?.release();
 */
import * as tf from '@tensorflow/tfjs';
import { validateConfig, type OptimizerConfig } from '../optim/config';
import type { RunStatus } from '../optim/run';
import { updateCannotOverflow } from '../optim/overflow';
import { initState, type OptState, type ValueAndGrad } from '../optim/step';
import {
  fusedAscend,
  fusedAvailable,
  fusedFits,
  fusedReadback,
  fusedSlot,
  fusedUpdate,
  type FusedAscent,
  type FusedLeaf,
} from './fused/fusedStep';
import type { UpdateSlot } from './fused/programs';
import { commitLeaf, leafAscend, leafUpdateFinite, updateSums, type LeafState } from './leafStep';
import { hostArrays, type HostArrays } from './host/hostArrays';
import { hostAscend, hostCommit, hostUpdateFinite } from './host/hostStep';
import { mapValueAndGrad, type LossFn } from './maps';
import { tensorSpace, tensorsOf, type TensorMap } from './tensorSpace';

export { mapValueAndGrad, type LossFn };

/** The scalars of one committed step. */
export interface StepSummary {
  loss: number;
  sNorm: number | null;
  /** f_B(x_t + δ_t); null when ρ = 0 */
  lossPerturbed: number | null;
  /** ‖s_t‖ whatever the perturbation, when asked for (StepOptions.gradNorm), else null */
  gradNorm: number | null;
  gradEvals: number;
  /** frees the step's tensors (none for a summary without intermediates) */
  release(): void;
}

/** The intermediates of one committed step, as tensors owned by the caller until release(). */
export interface TensorStep extends StepSummary {
  s: TensorMap;
  /** null when ρ = 0 */
  delta: TensorMap | null;
  g: TensorMap;
  /** null for non-adaptive runs */
  eta: TensorMap | null;
}

export interface StepOptions {
  /** γ_t of a learning-rate schedule (spec §12, optim/schedule.ts); default: the config's γ */
  lr?: number;
  /**
   * false: s, δ, g and η are freed inside the step and only the scalars come back (least
   * memory). Default true.
   */
  intermediates?: boolean;
  /** report ‖s_t‖ as `gradNorm` (a caller without intermediates cannot take it from s) */
  gradNorm?: boolean;
}

/** Parameters and optimizer state as plain arrays (spec §2), for checkpoints. */
export interface OptimizerWeights {
  /** steps taken */
  k: number;
  x: Record<string, Float32Array>;
  m: Record<string, Float32Array>;
  /** null for non-adaptive runs */
  v: Record<string, Float32Array> | null;
  vHat: Record<string, Float32Array> | null;
}

/**
 * What a step differentiates: a loss of the parameters on the step's minibatch, or f_B and ∇f_B
 * evaluated by the caller (gradient accumulation sums them over micro-batches without keeping
 * every micro-batch's activations on one tape; decisions.md, GLUE).
 */
export type StepObjective = LossFn | { valueAndGrad: ValueAndGrad<TensorMap, tf.Scalar> };

type VariableMap = Record<string, tf.Variable>;

const variablesOf = (m: TensorMap): VariableMap =>
  Object.fromEntries(Object.entries(m).map(([k, t]) => [k, tf.variable(t, false)]));

export class TensorOptimizer {
  readonly config: OptimizerConfig;
  status: RunStatus = 'ok';
  #k = 0;
  readonly #x: VariableMap;
  readonly #m: VariableMap;
  readonly #v: VariableMap | null;
  readonly #vHat: VariableMap | null;
  readonly #keys: string[];
  readonly #fused: boolean;

  /**
   * Copies x0 (the caller keeps it); throws ConfigError before any tensor is made for an invalid
   * config. On WebGPU a step runs the fused programs, and on cpu and wasm the host step, unless
   * `fused: false` (the op path).
   */
  constructor(config: OptimizerConfig, x0: TensorMap, options: { fused?: boolean } = {}) {
    this.config = validateConfig({ ...config });
    this.#fused = options.fused ?? true;
    this.#keys = Object.keys(x0);
    const init = tf.tidy(
      () => initState(tensorSpace, this.config, x0) as unknown as tf.TensorContainer,
    ) as unknown as OptState<TensorMap>;
    this.#x = variablesOf(x0);
    this.#m = variablesOf(init.m);
    this.#v = init.second ? variablesOf(init.second.v) : null;
    this.#vHat = init.second ? variablesOf(init.second.vHat) : null;
    tf.dispose(tensorsOf(init.m, init.second?.v, init.second?.vHat));
  }

  /** The current parameters x_t (owned by the optimizer: do not dispose). */
  get params(): TensorMap {
    return this.#x;
  }

  /** k, m, v and v̂ (owned by the optimizer: do not dispose). */
  get state(): OptState<TensorMap> {
    return {
      k: this.#k,
      m: this.#m,
      second: this.#v && this.#vHat ? { v: this.#v, vHat: this.#vHat } : null,
    };
  }

  /**
   * One iteration on one minibatch (both gradient passes use `lossFn`). Returns null, commits
   * nothing and sets status 'diverged' when the loss, a gradient or x_{t+1} is not finite.
   */
  step(
    lossFn: StepObjective,
    options?: StepOptions & { intermediates?: true },
  ): Promise<TensorStep | null>;
  step(
    lossFn: StepObjective,
    options: StepOptions & { intermediates: false },
  ): Promise<StepSummary | null>;
  step(lossFn: StepObjective, options?: StepOptions): Promise<StepSummary | null>;
  async step(
    lossFn: StepObjective,
    options: StepOptions = {},
  ): Promise<TensorStep | StepSummary | null> {
    if (this.status === 'diverged') return null;
    const keep = options.intermediates !== false;
    // a schedule (spec §12) replaces γ by γ_t for this step and changes nothing else
    const config = options.lr === undefined ? this.config : { ...this.config, lr: options.lr };
    const vg =
      typeof lossFn === 'function' ? mapValueAndGrad(lossFn, this.#keys) : lossFn.valueAndGrad;
    const gradNorm = options.gradNorm === true;
    if (this.#fused && fusedAvailable() && fusedFits(this.#x))
      return this.#fusedStep(config, vg, keep, gradNorm);
    const host = this.#fused ? hostArrays() : null;
    return host
      ? this.#hostStep(host, config, vg, keep, gradNorm)
      : this.#leafStep(config, vg, keep, gradNorm);
  }

  #leaf(key: string): LeafState {
    return {
      x: this.#x[key],
      m: this.#m[key],
      v: this.#v?.[key] ?? null,
      vHat: this.#vHat?.[key] ?? null,
    };
  }

  /**
   * The op path (leafStep.ts): the ascent tensor by tensor, one readback of the loss, s and g's
   * finiteness and the sums that bound the update (optim/overflow.ts); then, when the update
   * cannot overflow, each parameter tensor's update committed as soon as it is made. When it
   * might, the whole update is first computed and checked without keeping it, then computed
   * again and committed (spec §7.5: all or nothing).
   */
  async #leafStep(
    config: OptimizerConfig,
    vg: ValueAndGrad<TensorMap, tf.Scalar>,
    keep: boolean,
    wantGradNorm: boolean,
  ): Promise<TensorStep | StepSummary | null> {
    const a = leafAscend(config, this.#x, vg, { keep, gradNorm: wantGradNorm });
    const leaves = this.#keys.map((k) => this.#leaf(k));
    const sums = updateSums(
      leaves,
      this.#keys.map((k) => a.g[k]),
    );
    const scalars = [a.loss, a.sNorm, a.lossPerturbed, a.gradNorm];
    const packed = tf.tidy(() =>
      tf.concat([
        tf.stack([tf.cast(a.finite, 'float32'), ...scalars.map((t) => t ?? tf.scalar(0))]),
        sums,
      ]),
    );
    const read = await packed.data();
    tf.dispose([packed, sums, a.finite, ...scalars.filter((t): t is tf.Scalar => t !== null)]);
    const [finite, loss, sNorm, lossPerturbed, gradNorm, gSum, mSum, xSum, vSum, vHatMin] = read;
    const k = this.#k + 1;
    const ok =
      finite === 1 &&
      (updateCannotOverflow(config, k, { g: gSum, m: mSum, x: xSum, v: vSum, vHatMin }) ||
        (await this.#updateFinite(config, leaves, a.g)));
    const intermediates = tensorsOf(a.s, a.delta, a.g);
    if (!ok) {
      tf.dispose(intermediates);
      this.status = 'diverged';
      return null;
    }
    const eta: TensorMap = {};
    const withEta = keep && this.#v !== null;
    this.#keys.forEach((key, i) => {
      const e = commitLeaf(config, this.#k, leaves[i], a.g[key], {
        withEta,
        freeG: !keep,
      });
      if (e) eta[key] = e;
    });
    this.#k = k;
    const summary: StepSummary = {
      loss,
      sNorm: a.sNorm ? sNorm : null,
      lossPerturbed: a.lossPerturbed ? lossPerturbed : null,
      gradNorm: a.gradNorm ? gradNorm : null,
      gradEvals: a.gradEvals,
      release: () => undefined,
    };
    if (!keep) return summary;
    const etaMap = withEta ? eta : null;
    const kept = [...intermediates, ...tensorsOf(etaMap)];
    return {
      ...summary,
      s: a.s!,
      delta: a.delta,
      g: a.g,
      eta: etaMap,
      release: () => tf.dispose(kept.filter((t) => !t.isDisposed)),
    };
  }

  /**
   * The host path on cpu and wasm (./host): the ascent and the update as loops over the tensors'
   * arrays, with the op path's bits; each tensor committed as soon as its update is made, once
   * the whole update is known finite (spec §7.5).
   */
  #hostStep(
    host: HostArrays,
    config: OptimizerConfig,
    vg: ValueAndGrad<TensorMap, tf.Scalar>,
    keep: boolean,
    wantGradNorm: boolean,
  ): TensorStep | StepSummary | null {
    const a = hostAscend(host, config, this.#x, vg, { keep, gradNorm: wantGradNorm });
    const leaves = this.#keys.map((k) => this.#leaf(k));
    const g = this.#keys.map((k) => a.g[k]);
    const k = this.#k + 1;
    // s is the gradient itself when ρ = 0: each tensor is listed once
    const passes = [...new Set(tensorsOf(a.s, a.g))];
    if (!(a.finite && hostUpdateFinite(host, config, k, leaves, g))) {
      tf.dispose([...passes, ...tensorsOf(a.delta)]);
      this.status = 'diverged';
      return null;
    }
    const withEta = keep && this.#v !== null;
    const withG = keep && config.weightDecay > 0;
    const eta: TensorMap = {};
    const decayed: TensorMap = {};
    this.#keys.forEach((key, i) => {
      const out = hostCommit(host, config, k, leaves[i], g[i], { eta: withEta, g: withG });
      if (out.eta) eta[key] = out.eta;
      if (out.g) decayed[key] = out.g;
    });
    this.#k = k;
    const summary: StepSummary = {
      loss: a.loss,
      sNorm: a.sNorm,
      lossPerturbed: a.lossPerturbed,
      gradNorm: a.gradNorm,
      gradEvals: a.gradEvals,
      release: () => undefined,
    };
    if (!keep) {
      tf.dispose(passes);
      return summary;
    }
    // g_t is reported with weight decay, as the op path reports it; the raw gradient goes
    // (not when it is s itself, ρ = 0, which the caller keeps)
    if (withG) {
      const sTensors = new Set(tensorsOf(a.s));
      tf.dispose(tensorsOf(a.g).filter((t) => !sTensors.has(t)));
    }
    const gOut = withG ? decayed : a.g;
    const etaMap = withEta ? eta : null;
    const kept = [...new Set(tensorsOf(a.s, a.delta, gOut, etaMap))];
    return {
      ...summary,
      s: a.s!,
      delta: a.delta,
      g: gOut,
      eta: etaMap,
      release: () => tf.dispose(kept.filter((t) => !t.isDisposed)),
    };
  }

  /** Whether the update of every parameter tensor is finite (computed and checked, nothing kept). */
  async #updateFinite(
    config: OptimizerConfig,
    leaves: LeafState[],
    g: TensorMap,
  ): Promise<boolean> {
    const flags = this.#keys.map((key, i) => leafUpdateFinite(config, this.#k, leaves[i], g[key]));
    const all = tf.tidy(() => tf.cast(tf.stack(flags).all(), 'float32'));
    const [ok] = await all.data();
    tf.dispose([all, ...flags]);
    return ok === 1;
  }

  /**
   * The fused WebGPU path (./fused): every tensor's update is made packed, the finiteness flag
   * read with the step's scalars, then the state committed by buffer copies (spec §7.5).
   */
  async #fusedStep(
    config: OptimizerConfig,
    vg: ValueAndGrad<TensorMap, tf.Scalar>,
    keep: boolean,
    wantGradNorm: boolean,
  ): Promise<TensorStep | StepSummary | null> {
    // 4.1–4.3: x + δ is a temporary tensor of this tidy; the variables stay at x_t
    const a = tf.tidy(
      () =>
        fusedAscend(config, this.#x, vg, {
          keep,
          gradNorm: wantGradNorm,
        }) as unknown as tf.TensorContainer,
    ) as unknown as FusedAscent;
    // 4.4–4.7 one dispatch per parameter tensor, nothing committed yet
    const withEta = keep && this.#v !== null;
    const withG = keep && config.weightDecay > 0;
    const leaves = this.#keys.map(
      (key) =>
        tf.tidy(
          () =>
            fusedUpdate(
              config,
              this.#k + 1,
              {
                x: this.#x[key],
                g: a.g[key],
                s: a.s[key],
                m: this.#m[key],
                v: this.#v?.[key] ?? null,
                vHat: this.#vHat?.[key] ?? null,
              },
              { withEta, withG },
            ) as unknown as tf.TensorContainer,
        ) as unknown as FusedLeaf,
    );
    // one readback: [ok, loss, ascent norm, f(x + δ), ‖s‖]
    const packed = fusedReadback(a, leaves);
    const [ok, loss, sNorm, lossPerturbed, gradNorm] = await packed.data();
    packed.dispose();
    const perturbed = a.lossPerturbed !== null;
    tf.dispose([a.loss, a.lossPerturbed, a.norm?.partials].filter((t) => t != null));
    const pending = leaves.map((l) => l.packed);
    if (!ok) {
      tf.dispose([...pending, ...tensorsOf(a.s, a.delta, a.g)]);
      this.status = 'diverged';
      return null;
    }
    // commit by copies out of the packed updates
    const slice = (i: number, slot: UpdateSlot) =>
      fusedSlot(leaves[i], slot, this.#x[this.#keys[i]].shape);
    const state: [VariableMap | null, UpdateSlot][] = [
      [this.#x, 'x'],
      [this.#m, 'm'],
      [this.#v, 'v'],
      [this.#vHat, 'vHat'],
    ];
    this.#keys.forEach((key, i) => {
      for (const [vars, slot] of state) {
        if (!vars) continue;
        const value = slice(i, slot)!;
        vars[key].assign(value);
        value.dispose(); // the variable holds its own reference
      }
    });
    const sliced = (slot: UpdateSlot): TensorMap =>
      Object.fromEntries(this.#keys.map((key, i) => [key, slice(i, slot)!]));
    const etaMap = withEta ? sliced('eta') : null;
    let g = a.g;
    if (withG) {
      // g_t with weight decay, as the op path reports it; the raw g (not s's tensors when ρ = 0) goes
      g = sliced('g');
      const sTensors = new Set(tensorsOf(a.s));
      tf.dispose(tensorsOf(a.g).filter((t) => !sTensors.has(t)));
    }
    tf.dispose(pending);
    this.#k++;
    const summary: StepSummary = {
      loss,
      sNorm: perturbed ? sNorm : null,
      lossPerturbed: perturbed ? lossPerturbed : null,
      gradNorm: wantGradNorm ? gradNorm : null,
      gradEvals: a.gradEvals,
      release: () => undefined,
    };
    const intermediates = tensorsOf(a.s, a.delta, g, etaMap);
    if (!keep) {
      tf.dispose(intermediates);
      return summary;
    }
    return {
      ...summary,
      s: a.s,
      delta: a.delta,
      g,
      eta: etaMap,
      release: () => tf.dispose(intermediates.filter((t) => !t.isDisposed)),
    };
  }

  /** x, k, m, v and v̂ as arrays (a checkpoint); setWeights on any optimizer of the same config resumes the run. */
  async getWeights(): Promise<OptimizerWeights> {
    const read = async (m: VariableMap | null) => {
      if (!m) return null;
      const out: Record<string, Float32Array> = {};
      // a copy: a backend may hand out its own storage
      for (const k of this.#keys) out[k] = ((await m[k].data()) as Float32Array).slice();
      return out;
    };
    return {
      k: this.#k,
      x: (await read(this.#x))!,
      m: (await read(this.#m))!,
      v: await read(this.#v),
      vHat: await read(this.#vHat),
    };
  }

  /**
   * Loads a checkpoint from getWeights (the same parameter names and sizes; v and v̂ exactly when
   * the config is adaptive; every value finite, v and v̂ not negative, as a committed step leaves
   * them) and continues from it. Throws, changing nothing, when it does not fit.
   */
  setWeights(w: OptimizerWeights): void {
    if (!(Number.isInteger(w.k) && w.k >= 0))
      throw new Error(`checkpoint: k must be a non-negative integer; got ${w.k}`);
    const parts: [string, VariableMap | null, Record<string, Float32Array> | null][] = [
      ['x', this.#x, w.x],
      ['m', this.#m, w.m],
      ['v', this.#v, w.v],
      ['vHat', this.#vHat, w.vHat],
    ];
    for (const [name, vars, values] of parts) {
      if (!vars !== !values)
        throw new Error(
          `checkpoint: ${name} is ${values ? 'present' : 'missing'}, but this ${this.config.adaptive ? 'adaptive' : 'non-adaptive'} run ${vars ? 'needs' : 'has no'} it`,
        );
      if (!vars || !values) continue;
      const extra = Object.keys(values).filter((k) => !(k in vars));
      if (extra.length)
        throw new Error(`checkpoint: ${name} has unknown parameters ${extra.join(', ')}`);
      for (const k of this.#keys) {
        const a = values[k];
        if (!a) throw new Error(`checkpoint: ${name} lacks parameter ${k}`);
        if (a.length !== vars[k].size)
          throw new Error(
            `checkpoint: ${name}.${k} has ${a.length} values; the parameter has ${vars[k].size}`,
          );
        // the state a step would have committed (spec §7.5; v and v̂ are averages of squares)
        const bad = a.findIndex((e) => !Number.isFinite(e) || (name[0] === 'v' && e < 0));
        if (bad >= 0)
          throw new Error(
            `checkpoint: ${name}.${k}[${bad}] is ${a[bad]}; ${name === 'x' || name === 'm' ? 'it must be finite' : 'it must be finite and not negative'}`,
          );
      }
    }
    for (const [, vars, values] of parts) {
      if (!vars || !values) continue;
      for (const k of this.#keys) {
        const t = tf.tensor(values[k], vars[k].shape, 'float32');
        vars[k].assign(t);
        t.dispose();
      }
    }
    this.#k = w.k;
    this.status = 'ok';
  }

  dispose(): void {
    tf.dispose(tensorsOf(this.#x, this.#m, this.#v, this.#vHat));
  }
}
