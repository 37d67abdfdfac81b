/**
 * Messages between the GLUE page and its worker (glue.worker.ts). The page sends the files the
 * user picked (File objects are structured-cloned; the worker reads them by ranges) and the race
 * settings of the link; the worker checks the files, tokenizes, and trains the optimizers one at a
 * time (decisions.md: large models race one run at a time), reporting every step.
 */
import type { OptimizerConfig } from '../optim/config';
import type { BackendName, EtaHistogram } from '../lab/types';
import type { SpeedupResult } from '../glue/speedup';
import type { GlueLinkSettings } from '../state/url';
import type { RaceManifest } from './glueCheckpoints';

export type { SpeedupResult };

/** A file the user picked (or dropped), by role. */
export interface NamedBlob {
  name: string;
  blob: Blob;
}

/** The model folder's files and the data files; tokenizer.json, or vocab.json + merges.txt. */
export interface GlueFiles {
  config: NamedBlob | null;
  weights: NamedBlob | null;
  tokenizer: NamedBlob | null;
  vocab: NamedBlob | null;
  merges: NamedBlob | null;
  train: NamedBlob | null;
  dev: NamedBlob | null;
}

export type FileRole = keyof GlueFiles;
export const FILE_ROLES: readonly FileRole[] = [
  'config',
  'weights',
  'tokenizer',
  'vocab',
  'merges',
  'train',
  'dev',
];

/** The worker's settings: the link's rows (the view rows are the page's) and the labelled runs. */
export type GlueRaceSettings = Omit<GlueLinkSettings, 'runs' | 'xAxis'> & {
  runs: { label: string; config: OptimizerConfig }[];
};

/**
 * A checkpoint to continue: run `run` of the race on seed `seed` (0 when absent: the first) from
 * these two files (checkpoint.ts formats).
 */
export interface ResumeFrom {
  run: number;
  seed?: number;
  weights: NamedBlob;
  state: NamedBlob;
}

export type ToGlue =
  /** check the files against the task (cheap: headers, config, tokenizer, data rows) */
  | { type: 'inspect'; id: number; files: GlueFiles; task: GlueLinkSettings['task'] }
  | { type: 'start'; files: GlueFiles; settings: GlueRaceSettings; resume?: ResumeFrom }
  /**
   * The speed-up experiment (paper Figure 1) for run `run` of the settings: batch sizes `batches`,
   * lr ∝ √b from the run's lr at the settings' batch, each to the loss target or the step cap.
   */
  | {
      type: 'speedup';
      files: GlueFiles;
      settings: GlueRaceSettings;
      run: number;
      batches: number[];
    }
  | { type: 'pause' }
  | { type: 'resume' }
  /** ends a race or a speed-up experiment */
  | { type: 'stop' };

export interface ModelSummary {
  layers: number;
  hidden: number;
  heads: number;
  vocab: number;
  /** parameters in the file's encoder and head tensors */
  params: number;
  dtypes: string[];
  bytes: number;
}

export interface DataSummary {
  name: string;
  rows: number;
  labelled: number;
  skipped: number;
}

export interface FileProblem {
  role: FileRole | 'files';
  message: string;
}

/** One optimizer step as the `glue` command reports it, plus the x axes of the charts. */
export interface GlueStep {
  step: number;
  lr: number;
  loss: number;
  sNorm: number;
  lossPerturbed: number | null;
  /** gradient evaluations after this step (2 per step with ρ > 0, else 1) */
  gradEvals: number;
  wallMs: number;
  /** which of the race's seeds (0: the first, seed; k: seed + k) */
  seed: number;
  /** ‖δ_t‖ (0 when ρ = 0), cos(s_t, g_t) and f(x_t + δ_t) − f(x_t): null without diagnostics */
  deltaNorm: number | null;
  cosSG: number | null;
  sharpness: number | null;
}

/** η_t of one step of one run (its first seed), as per-layer log10 histograms. */
export interface GlueEta {
  /** the step t whose η_t this is (the update from x_t to x_{t+1}) */
  step: number;
  histograms: EtaHistogram[];
  /** η of a coordinate whose v̂ is still at its floor (the histograms' right end) */
  ceiling: number;
}

export interface GlueEval {
  /** weights after this many steps */
  step: number;
  gradEvals: number;
  /** which of the race's seeds */
  seed: number;
  /** the run's training time before these weights (absent in curves kept before it was recorded) */
  wallMs?: number;
  /** the task's metrics ×100, the first is the headline (glue.md §3) */
  metrics: Record<string, number>;
}

export type RunStatus = 'waiting' | 'running' | 'ok' | 'diverged' | 'stopped';
export type GlueState = 'idle' | 'preparing' | 'running' | 'paused' | 'done' | 'stopped';

export type FromGlue =
  | {
      type: 'inspected';
      id: number;
      model: ModelSummary | null;
      train: DataSummary | null;
      dev: DataSummary | null;
      problems: FileProblem[];
    }
  | { type: 'state'; state: GlueState }
  | { type: 'backend'; name: BackendName; reason: string; fallbacks: string[] }
  /** a long phase's progress: tokenizing rows, loading weights */
  | { type: 'progress'; phase: string; done: number; total: number }
  | {
      type: 'prepared';
      train: number;
      trainRows: number;
      dev: number;
      devRows: number;
      /** embedding rows kept by vocabulary pruning; null without pruning */
      vocabKept: number | null;
      vocabFull: number;
      params: number;
      steps: number;
      notes: string[];
      /** the rows' token ids came from the worker's cache (tokenCache.ts) */
      fromCache: boolean;
    }
  | { type: 'run'; run: number; status: RunStatus; message?: string; seed?: number }
  | { type: 'step'; run: number; record: GlueStep }
  | { type: 'eval'; run: number; point: GlueEval }
  /** a checkpoint was kept (glueCheckpoints.ts): the race's manifest as it now stands */
  | { type: 'checkpoint'; manifest: RaceManifest }
  /** run `run` on seed `seed` goes on from the weights after `step` steps: what came after is dropped */
  | { type: 'rewind'; run: number; seed: number; step: number }
  /** something the page should say that stops nothing (a fallback, a checkpoint not kept) */
  | { type: 'notice'; message: string }
  | { type: 'eta'; run: number; eta: GlueEta }
  | { type: 'speedup-progress'; batch: number; step: number; cap: number }
  | { type: 'speedup-done'; results: SpeedupResult[]; target: number; cap: number }
  | { type: 'error'; phase: 'input' | 'backend' | 'train' | 'crash'; message: string };
