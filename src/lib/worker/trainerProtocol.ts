/**
 * The typed message protocol between the transformer-lab page and its training worker
 * (trainer.worker.ts), plus the settings types both sides share.
 *
 * Types only: this file imports no tfjs, so the page can import it without pulling tfjs in.
 * Every message is a member of a discriminated union on `type`. Changes after v1 are additive
 * (new optional fields, new message types): the page is written against this file in parallel.
 *
 * Flow:
 *   page → init(settings)      worker → backend-info, ready   (or error{phase:'settings'|'backend'})
 *   page → start               worker → status{running}, step-metrics…, eval-metrics…, eta-stats…,
 *                                        diverged?, status{done}
 *   page → pause / resume / stop
 *   page → hessian / slice / speedup (on demand; allowed while paused or after done)
 *                              worker → hessian | slice-progress…, slice-done | speedup-progress…, speedup-done
 *   a lost WebGPU device or a failed backend → backend-fallback, then training goes on from the
 *   last good weights on the next backend (or error{phase:'backend'} when none is left).
 *
 * Numbers:  `step` counts committed iterations of a run (0 = initial weights); `gradEvals` counts
 * gradient evaluations (2 per SAM-type step, 1 otherwise); `wallMs` is that run's own cumulative
 * training time (the race alternates runs, so this is not the page's clock).
 */
import type { OptimizerConfig } from '../optim/config';

/** Incremented when a message changes meaning (never for additive changes). */
export const TRAINER_PROTOCOL_VERSION = 1;

// ─── settings ────────────────────────────────────────────────────────────────────────────────

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

/** Names of the texts shipped in static/texts/ for the character-level LM task. */
export type TextName = 'alice';

/** The built-in tasks. All are generated from `LabSettings.seed`; nothing is downloaded. */
export type TaskSettings =
  /** a + b mod p: tokens [a, b, '='] → class (a+b) mod p; `trainFraction` of all p² pairs train, the rest test */
  | { kind: 'modadd'; p: number; trainFraction: number }
  /** tokens x₁…x_L SEP then the reversed (or sorted) sequence; loss on the output half only (causal LM head) */
  | {
      kind: 'reverse' | 'sort';
      length: number;
      alphabet: number;
      trainSize: number;
      testSize: number;
    }
  /** '(' / ')' strings of even `length`; label 1 when balanced; half the examples are balanced */
  | { kind: 'brackets'; length: number; trainSize: number; testSize: number }
  /** 0/1 strings of odd `length`; label 1 when ones are the majority */
  | { kind: 'majority'; length: number; trainSize: number; testSize: number }
  /** next-character prediction on windows of `seqLen` characters; the last `testFraction` of the text is the test set */
  | { kind: 'charlm'; text: TextName; seqLen: number; testFraction: number };

export type TaskKind = TaskSettings['kind'];

/** What the user chooses about the model; vocab, seqLen, head and classes follow from the task. */
export interface ModelShape {
  /** number of pre-LayerNorm blocks, 1–4 */
  layers: number;
  /** d_model, 32–128 */
  dModel: number;
  /** attention heads, 1–8, must divide dModel */
  heads: number;
  /** hidden width of each block's MLP */
  mlp: number;
  /** dropout probability on the residual branches (0 = off); one mask per step, used in both SAM passes */
  dropout: number;
}

/** A complete transformer description (ModelShape + what the task fixes). */
export interface ModelSettings extends ModelShape {
  vocab: number;
  /** tokens per example, ≤ 64 */
  seqLen: number;
  /** classify: one output from the last position (bidirectional attention); lm: one per position (causal) */
  head: 'classify' | 'lm';
  /** output classes (classify) or output vocabulary (lm) */
  classes: number;
}

/** One optimizer of a race. `config` is a full spec §3 config (see optim/config.ts resolveConfig/recipe). */
export interface RunSettings {
  label: string;
  config: OptimizerConfig;
}

export interface LabSettings {
  task: TaskSettings;
  model: ModelShape;
  /** 1–8 runs, trained in turn from identical weights on identical batches */
  runs: RunSettings[];
  batch: number;
  /** iterations per run */
  steps: number;
  /** evaluate test loss/accuracy every this many steps (and at step 0 and at the end) */
  evalEvery: number;
  /** η statistics every this many steps (0 = off); default evalEvery */
  etaEvery?: number;
  /** seeds the task, the initial weights, the batch order and the dropout masks */
  seed: number;
  backend: BackendPreference;
  /** parameter name whose η heatmap is sent (default: the first block's attention weights) */
  etaMatrix?: string;
  /** keep a weight snapshot every this many steps for the slice's trajectory (default max(1, steps/50)) */
  snapshotEvery?: number;
}

// ─── payloads ────────────────────────────────────────────────────────────────────────────────

/** What the worker built from the settings. */
export interface TaskInfo {
  kind: TaskKind;
  trainSize: number;
  testSize: number;
  /** token id → printable string, for showing examples */
  tokens: string[];
  model: ModelSettings;
  /** one readable example: its tokens and what the model must predict */
  example: { input: string; target: string };
}

export interface ParamInfo {
  name: string;
  shape: number[];
  /** layer group used for the η histograms, e.g. 'embed', 'block0', 'head' */
  group: string;
}

/** Per-step diagnostics of one run (spec §2 diagnostics, reduced to scalars). */
export interface StepMetrics {
  run: number;
  step: number;
  gradEvals: number;
  wallMs: number;
  /** f_B(x_t) on the step's minibatch */
  loss: number;
  /** f_B(x_t + δ_t) − f_B(x_t); null when ρ = 0 */
  sharpness: number | null;
  /** ‖s_t‖, the clean gradient's global norm */
  sNorm: number;
  /** ‖δ_t‖; 0 when ρ = 0 */
  deltaNorm: number;
  /** cos(s_t, g_t); 1 when ρ = 0 */
  cosSG: number;
}

export interface EvalMetrics {
  run: number;
  step: number;
  gradEvals: number;
  wallMs: number;
  testLoss: number;
  testAcc: number;
  /** on a fixed sample of the training set (at most 512 examples) */
  trainLoss: number;
  trainAcc: number;
}

/** A histogram of log10 η over one layer group; counts[i] covers [edges[i], edges[i+1]). */
export interface EtaHistogram {
  group: string;
  /** bins + 1 edges in log10 units, shared by every group of the message */
  edges: Float32Array;
  counts: Uint32Array;
  /** log10 η summary of the group */
  min: number;
  max: number;
  median: number;
}

/** η over one weight matrix, average-pooled down to at most 64×64, row-major, log10 units. */
export interface EtaHeatmap {
  param: string;
  /** the matrix's own shape [rows, cols] */
  shape: [number, number];
  /** shape of `log10Eta`: [rows', cols'] after pooling */
  gridShape: [number, number];
  log10Eta: Float32Array;
}

export type SliceDirections = 'filter-normalized' | 'delta-random';

export interface SliceResult {
  run: number;
  step: number;
  directions: SliceDirections;
  /** grid is n×n, row-major with y outer: grid[j*n + i] = f(x + a_i·d1 + b_j·d2) */
  n: number;
  /** a, b ∈ [−span, span] */
  span: number;
  grid: Float32Array;
  /** f at the current weights (a = b = 0) */
  center: number;
  /** snapshots of the run's weights projected on (d1, d2): coordinates and the training loss there */
  trajectory: { step: number; a: number; b: number }[];
}

export interface SpeedupCurve {
  batch: number;
  lr: number;
  /** training loss per iteration (NaN after a divergence) */
  losses: Float32Array;
}

// ─── messages ────────────────────────────────────────────────────────────────────────────────

export type ToTrainer =
  /** Build task, model and runs (disposes any previous ones). Replies backend-info then ready, or error. */
  | { type: 'init'; settings: LabSettings }
  /** Start (or restart from step 0 with the same weights) the race built by init. */
  | { type: 'start' }
  /** Pause after the current step; the state is kept. */
  | { type: 'pause' }
  | { type: 'resume' }
  /** Stop training; the runs keep their weights for hessian/slice requests. */
  | { type: 'stop' }
  /** Change which weight matrix the η heatmap shows (a ParamInfo name). */
  | { type: 'eta-matrix'; param: string }
  /** Largest Hessian eigenvalue of run `run` on a fixed training batch, by `iters` power iterations. */
  | { type: 'hessian'; requestId: number; run: number; iters: number }
  /** 2-D loss slice around run `run`'s current weights; n×n points (n ≤ 41) on a fixed batch. */
  | {
      type: 'slice';
      requestId: number;
      run: number;
      directions: SliceDirections;
      n: number;
      span: number;
    }
  /**
   * The linear-speedup experiment (paper §4.3, Fig. 1): trains `config` from the same initial
   * weights with each batch size b, lr = config.lr·√(b / batches[0]), `steps` iterations each.
   */
  | {
      type: 'speedup';
      requestId: number;
      config: OptimizerConfig;
      batches: number[];
      steps: number;
    }
  /** Abort a running hessian/slice/speedup request. */
  | { type: 'cancel'; requestId: number }
  /** Dispose everything (before the page drops the worker). */
  | { type: 'dispose' };

export type RunState = 'idle' | 'running' | 'paused' | 'stopped' | 'done';

export type FromTrainer =
  /** Which backend runs and why; `fallbacks` lists those tried and rejected, with reasons. */
  | {
      type: 'backend-info';
      name: BackendName;
      reason: string;
      fallbacks: string[];
      isFallbackAdapter?: boolean;
    }
  /** The backend failed during the session (e.g. WebGPU device lost); training continues on `to`. */
  | { type: 'backend-fallback'; from: BackendName; to: BackendName; message: string }
  /** init succeeded: the task, the parameter list (for the η-matrix choice) and sizes. */
  | {
      type: 'ready';
      task: TaskInfo;
      params: ParamInfo[];
      paramCount: number;
      estimatedBytes: number;
      runs: string[];
    }
  /** The race's state changed. `step` is the step every run has reached. */
  | { type: 'status'; state: RunState; step: number }
  /** Per-step diagnostics, batched (several steps and runs per message, in order). */
  | { type: 'step-metrics'; metrics: StepMetrics[] }
  | { type: 'eval-metrics'; metrics: EvalMetrics }
  /** Per-layer-group log10 η histograms and the heatmap of one matrix, for one run (adaptive runs only). */
  | {
      type: 'eta-stats';
      run: number;
      step: number;
      histograms: EtaHistogram[];
      heatmap: EtaHeatmap | null;
    }
  /** A run hit NaN/Inf at `step`; it stopped and keeps its last good weights (the others go on). */
  | { type: 'diverged'; run: number; step: number; message: string }
  /** λ_max of the Hessian by power iteration on Hessian-vector products. */
  | {
      type: 'hessian';
      requestId: number;
      run: number;
      step: number;
      lambdaMax: number;
      iters: number;
      history: number[];
    }
  | { type: 'slice-progress'; requestId: number; done: number; total: number }
  | { type: 'slice-done'; requestId: number; result: SliceResult }
  | { type: 'speedup-progress'; requestId: number; batch: number; step: number; total: number }
  | { type: 'speedup-done'; requestId: number; curves: SpeedupCurve[] }
  /**
   * Something went wrong. phase 'settings': nothing was built (e.g. a model too large for the
   * backend's memory, an invalid optimizer config); 'backend': no backend could start; 'train':
   * a step threw; 'request': a hessian/slice/speedup request failed; 'crash': the worker itself died
   * (sent by TrainerClient, not by the worker). `recoverable`: sending init again may work.
   */
  | {
      type: 'error';
      phase: 'settings' | 'backend' | 'train' | 'request' | 'crash';
      message: string;
      recoverable: boolean;
      requestId?: number;
    };

export type FromTrainerType = FromTrainer['type'];
