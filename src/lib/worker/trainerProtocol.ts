/**
 * The typed message protocol between the transformer-lab page and its training worker
 * (trainer.worker.ts). The settings and results the messages carry are domain types (lab/types.ts).
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
 */
import type { OptimizerConfig } from '../optim/config';
import type {
  BackendName,
  EtaHeatmap,
  EtaHistogram,
  EvalMetrics,
  LabSettings,
  ParamInfo,
  SliceDirections,
  SliceSpan,
  SliceResult,
  SpeedupCurve,
  StepMetrics,
  TaskInfo,
} from '../lab/types';

/** Incremented when a message changes meaning (never for additive changes). */
export const TRAINER_PROTOCOL_VERSION = 1;

// ─── messages ────────────────────────────────────────────────────────────────────────────────

/**
 * Test build only (trainer.worker.ts answers it there; the production bundle has no trace of it):
 * start tfjs-wasm on `threads` threads instead of wasmThreads()'s choice, from the next backend
 * pick on. Sent before the first init, so the browser tests can train on the threaded build on a
 * 2-core machine, where wasmThreads() picks one thread.
 */
export interface TestWasmThreads {
  type: 'test-wasm-threads';
  threads: number;
  /** the worker may not start workers, so the threaded build cannot start its pool and fails */
  refuseWorkers?: boolean;
}

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
      span: SliceSpan;
    }
  /**
   * The linear-speedup experiment (paper §4.3, Fig. 1): trains `config` from the same initial
   * weights with each batch size b, lr = config.lr·√(b / batches[0]), at most `steps`
   * iterations each; with a `target`, each stops once its training-set loss is at most it.
   */
  | {
      type: 'speedup';
      requestId: number;
      config: OptimizerConfig;
      batches: number[];
      steps: number;
      target?: number;
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
  /**
   * A run hit NaN/Inf at `step`; it stopped and keeps its last good weights (the others go on).
   * `seed`: which of the race's seeds (absent: the first). Step and eval metrics carry it too.
   */
  | { type: 'diverged'; run: number; step: number; message: string; seed?: number }
  /** λ_max of the Hessian by power iteration on Hessian-vector products. */
  | {
      type: 'hessian';
      requestId: number;
      run: number;
      step: number;
      /** the loss at the same weights, on the same fixed batch */
      loss: number;
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
