/**
 * The race: two or more optimizers from identical initial weights (initialised once, copied per
 * run) on identical batches (TrainingData.batchAt(step)), stepped in turn (round-robin, one step
 * each). A run that hits NaN/Inf stops and keeps its last good weights (spec §7.5). Per step it
 * reports the diagnostics the lab draws: sharpness f_B(x+δ) − f_B(x), ‖s‖, ‖δ‖ and cos(s, g), and
 * on request the η statistics. Works for any Model; it never names a parameter.
 */
import type { OptimizerConfig } from '../../optim/config';
import { etaCeiling } from '../../optim/precondition';
import type {
  EtaHeatmap,
  EtaHistogram,
  EvalMetrics,
  RunSettings,
  StepMetrics,
} from '../../lab/types';
import { flatten, disposeMaps } from '../maps';
import { groupsOf, type Model } from '../model/model';
import { TensorOptimizer, type LossFn } from '../optimizer';
import type { TensorMap } from '../tensorSpace';
import { stepDiagnostics } from './diagnostics';
import { etaStatistics } from './etaStats';
import { fixedLoss, trainStep, type TrainingData } from './trainingData';

export interface RaceOptions<B> {
  model: Model<B>;
  data: TrainingData<B>;
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

export class Race<B> {
  readonly model: Model<B>;
  readonly data: TrainingData<B>;
  readonly batch: number;
  readonly seed: number;
  readonly runs: RaceRun[];
  /** the shared initial weights x₀ (kept for the speed-up experiment) */
  readonly x0: TensorMap;
  readonly groups: Record<string, string>;
  readonly #maxSnapshots: number;

  /** Initialises x₀ once from the seed and gives every run its own copy; throws ConfigError for a bad config. */
  constructor(o: RaceOptions<B>) {
    this.model = o.model;
    this.data = o.data;
    this.batch = o.batch;
    this.seed = o.seed;
    this.#maxSnapshots = o.maxSnapshots ?? 64;
    this.groups = groupsOf(o.model.params);
    this.x0 = o.model.init(o.seed);
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
      disposeMaps(this.x0);
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
    const t0 = performance.now();
    const info = await trainStep(this.runs[i].opt, this.model, this.data, {
      step: run.step,
      size: this.batch,
      seed: this.seed,
    });
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
      const { sNorm, deltaNorm, cosSG } = await stepDiagnostics(info);
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
        etaFor && info.eta
          ? await etaStatistics(
              info.eta,
              this.groups,
              etaFor.heatmap,
              undefined,
              etaCeiling(run.config, run.step),
            )
          : undefined;
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
    const e = await this.data.evaluate(this.model, run.opt.params);
    return { run: i, step: run.step, gradEvals: run.gradEvals, wallMs: run.wallMs, ...e };
  }

  /** A fixed training batch (iteration 0's, without dropout) for the Hessian and the slice. */
  fixedLoss(batchSize = this.batch): { lossFn: LossFn; dispose: () => void } {
    return fixedLoss(this.model, this.data, batchSize, this.seed);
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
    disposeMaps(this.x0);
  }
}
