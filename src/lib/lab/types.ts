/**
 * The transformer lab's domain types: what a race is made of (task, model, runs, backend) and
 * what training reports (per-step and evaluation metrics, η statistics, loss slices, speed-up
 * curves). Plain TypeScript with no tfjs and no Svelte, so the page, the worker, the tf code and
 * the command-line programs can all import it (the worker protocol, worker/trainerProtocol.ts,
 * only describes the messages that carry these).
 *
 * Numbers:  `step` counts committed iterations of a run (0 = initial weights); `gradEvals` counts
 * gradient evaluations (2 per SAM-type step, 1 otherwise); `wallMs` is that run's own cumulative
 * training time (the race alternates runs, so this is not the page's clock).
 */
import type { OptimizerConfig } from '../optim/config';

// ─── settings ────────────────────────────────────────────────────────────────────────────────

/** The TF.js backends the lab can train on (the lab's backend row offers these and 'auto'). */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendPreference = 'auto' | BackendName;

/** At most this many seeds per race (each multiplies the race's time). */
export const MAX_SEEDS = 5;

/** The seed of the race's `k`-th seed (k = 0 is `seed` itself, which also makes the task). */
export const seedOf = (seed: number, k: number): number => (seed + k) % 2 ** 31;

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

/** The task list, declared once: the lab's task row offers these, in this order. */
export const TASK_KINDS = ['modadd', 'reverse', 'sort', 'brackets', 'majority', 'charlm'] as const;

// Compile-time check that TASK_KINDS names every variant of TaskSettings and nothing else.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _taskKindsComplete: Same<(typeof TASK_KINDS)[number], TaskKind> = true;

/** What the user chooses about the model; vocab, seqLen, head and classes follow from the task. */
export interface ModelShape {
  /** number of pre-LayerNorm blocks (ranges: the lab's rows in state/schema.ts) */
  layers: number;
  /** d_model, the width of the residual stream */
  dModel: number;
  /** attention heads; must divide dModel */
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
  /**
   * every run trains once per seed seed, seed + 1, …, seed + seeds − 1 (initial weights, batch
   * order, dropout; the task is always the one of `seed`); default 1
   */
  seeds?: number;
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
  /** which of the race's seeds (LabSettings.seeds); absent means 0, the first */
  seed?: number;
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
  /** which of the race's seeds; absent means 0, the first */
  seed?: number;
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
  /** coordinates at the step's largest possible η (v̂ still at its floor: η = 1/ε), if known */
  atCeiling: number;
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

/**
 * A slice's half-width: a number, or 'fit' to take it from the run's path (the distance its
 * snapshots travelled, projected on the plane), so the path fills the view (issue 12, item 9).
 */
export type SliceSpan = number | 'fit';

export interface SliceResult {
  run: number;
  step: number;
  directions: SliceDirections;
  /** grid is n×n, row-major with y outer: grid[j*n + i] = f(x + a_i·d1 + b_j·d2) */
  n: number;
  /** a, b ∈ [−span, span] (the span used, also when 'fit' was asked for) */
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
  /** minibatch loss per iteration (NaN after a divergence, a stop or the target reached) */
  losses: Float32Array;
  /** loss on the training set after iteration `step`, every few iterations (with a target) */
  checks: { step: number; trainLoss: number }[];
  /** the first checked iteration whose training-set loss was at most the target; null: not reached */
  reached: number | null;
}
