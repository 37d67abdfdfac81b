/**
 * The AdaSAM family on TF.js tensors: lib/optim's proposeStep over tensorSpace, one tf.tidy per
 * step, state tensors owned here and replaced (never mutated) on commit.
 *
 * @example
 *   const opt = new TensorOptimizer(resolveConfig({ lr: 0.05, rho: 0.05 }), { w: tf.zeros([3]) });
 *   const info = await opt.step((p) => tf.losses.meanSquaredError(y, predict(p, X)));
 *   info?.release();
 */
import * as tf from '@tensorflow/tfjs';
import { validateConfig, type OptimizerConfig } from '../optim/config';
import { initState, proposeStep, type OptState } from '../optim/step';
import type { RunStatus } from '../optim/run';
import { mapValueAndGrad, type LossFn } from './maps';
import { disposeReplaced, tensorSpace, tensorsOf, type TensorMap } from './tensorSpace';

export { mapValueAndGrad, type LossFn };

/** The intermediates of one committed step, as tensors owned by the caller until release(). */
export interface TensorStep {
  loss: number;
  s: TensorMap;
  /** null when ρ = 0 */
  delta: TensorMap | null;
  sNorm: number | null;
  /** f_B(x_t + δ_t); null when ρ = 0 */
  lossPerturbed: number | null;
  g: TensorMap;
  /** null for non-adaptive runs */
  eta: TensorMap | null;
  gradEvals: number;
  release(): void;
}

export interface StepOptions {
  /** γ_t of a learning-rate schedule (spec §12, optim/schedule.ts); default: the config's γ */
  lr?: number;
}

export class TensorOptimizer {
  readonly config: OptimizerConfig;
  status: RunStatus = 'ok';
  #x: TensorMap;
  #state: OptState<TensorMap>;
  readonly #keys: string[];

  /** Copies x0; throws ConfigError before any tensor is made for an invalid config. */
  constructor(config: OptimizerConfig, x0: TensorMap) {
    this.config = validateConfig({ ...config });
    this.#keys = Object.keys(x0);
    this.#x = tf.tidy(() => Object.fromEntries(this.#keys.map((k) => [k, tf.clone(x0[k])])));
    this.#state = tf.tidy(
      () => initState(tensorSpace, this.config, this.#x) as unknown as tf.TensorContainer,
    ) as unknown as OptState<TensorMap>;
  }

  /** The current parameters x_t (owned by the optimizer: do not dispose). */
  get params(): TensorMap {
    return this.#x;
  }

  get state(): OptState<TensorMap> {
    return this.#state;
  }

  /**
   * One iteration on one minibatch (both gradient passes use `lossFn`). Returns null, commits
   * nothing and sets status 'diverged' when the loss, a gradient or x_{t+1} is not finite.
   */
  async step(lossFn: LossFn, options: StepOptions = {}): Promise<TensorStep | null> {
    if (this.status === 'diverged') return null;
    const vg = mapValueAndGrad(lossFn, this.#keys);
    // a schedule (spec §12) replaces γ by γ_t for this step and changes nothing else
    const config = options.lr === undefined ? this.config : { ...this.config, lr: options.lr };
    const p = tf.tidy(() => {
      const q = proposeStep(tensorSpace, config, this.#x, this.#state, vg);
      return q as unknown as tf.TensorContainer;
    }) as unknown as ReturnType<typeof proposeStep<TensorMap, tf.Scalar, tf.Scalar>>;
    const scalars = [
      p.ok,
      p.loss,
      ...(p.sNorm && p.lossPerturbed ? [p.sNorm, p.lossPerturbed] : []),
    ];
    const [ok, loss, sNorm, lossPerturbed] = await Promise.all(
      scalars.map(async (t) => (await t.data())[0]),
    );
    const intermediates = tensorsOf(p.s, p.delta, p.g, p.eta);
    const newState = [
      ...tensorsOf(p.x, p.state.m),
      ...tensorsOf(p.state.second?.v, p.state.second?.vHat),
    ];
    tf.dispose(scalars);
    if (!ok) {
      disposeReplaced([...intermediates, ...newState], this.#stateTensors());
      this.status = 'diverged';
      return null;
    }
    const previous = this.#stateTensors();
    this.#x = p.x;
    this.#state = p.state;
    const held = this.#stateTensors();
    disposeReplaced(previous, [...held, ...intermediates]);
    return {
      loss,
      s: p.s,
      delta: p.delta,
      sNorm: p.sNorm ? sNorm : null,
      lossPerturbed: p.lossPerturbed ? lossPerturbed : null,
      g: p.g,
      eta: p.eta,
      gradEvals: p.gradEvals,
      release: () => disposeReplaced(intermediates, this.#stateTensors()),
    };
  }

  dispose(): void {
    tf.dispose(this.#stateTensors());
  }

  #stateTensors(): tf.Tensor[] {
    const s = this.#state;
    return [...tensorsOf(this.#x, s.m), ...tensorsOf(s.second?.v, s.second?.vHat)];
  }
}
