/**
 * The transformer lab's live state: owns the training worker (through TrainerClient), turns its
 * messages into per-run series the charts draw, and offers the verbs the page's buttons call.
 *
 * Big series are `$state.raw` arrays that are replaced, never mutated: incoming step metrics are
 * buffered and flushed a few times a second, so thousands of points cost one array copy per
 * flush instead of one proxy per point. The page never touches tfjs; all of it lives in the worker.
 */
import { TrainerClient } from '../worker/TrainerClient';
import type { FromTrainer, RunState, ToTrainer } from '../worker/trainerProtocol';
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
import type { OptimizerConfig } from '../optim/config';

/** What LabState needs of the worker wrapper; TrainerClient provides it, a test may pass a fake. */
export interface TrainerPort {
  send(msg: ToTrainer): void;
  onMessage(handler: (msg: FromTrainer) => void): () => void;
  /** drops the current worker (if any) and starts a fresh one */
  restart(): void;
  dispose(): void;
}

export interface BackendState {
  name: BackendName;
  reason: string;
  /** backends tried and rejected at start, with reasons */
  rejected: string[];
  isFallbackAdapter: boolean;
}

export interface LabError {
  phase: 'settings' | 'backend' | 'train' | 'request' | 'crash';
  message: string;
  recoverable: boolean;
}

export interface EtaSnapshot {
  step: number;
  histograms: EtaHistogram[];
  heatmap: EtaHeatmap | null;
}

export interface Divergence {
  run: number;
  step: number;
  message: string;
  /** which of the race's seeds (0: the first) */
  seed: number;
}

export type HessianState =
  | { state: 'pending'; requestId: number }
  | {
      state: 'done';
      step: number;
      loss: number;
      lambdaMax: number;
      iters: number;
      history: number[];
    }
  | { state: 'failed'; message: string };

export interface SliceState {
  requestId: number;
  run: number;
  progress: { done: number; total: number } | null;
  result: SliceResult | null;
  error: string | null;
}

export interface SpeedupState {
  requestId: number;
  batches: number[];
  steps: number;
  /** the training-set loss each batch size trains down to (null: all `steps` iterations) */
  target: number | null;
  /** batch size now training and its iteration */
  progress: { batch: number; step: number; total: number } | null;
  curves: SpeedupCurve[] | null;
  error: string | null;
}

/** How often buffered step metrics are published to the charts. */
const FLUSH_MS = 100;

export class LabState {
  /** the worker's race state; 'idle' until a start */
  status = $state<RunState>('idle');
  /** the step every run has reached */
  step = $state(0);
  /** init was sent and no ready/error came back yet */
  initializing = $state(false);
  /** the worker holds a task and model built from `settings` */
  ready = $state(false);
  backend = $state<BackendState | null>(null);
  /** backend changes during the session (a lost WebGPU device, a failed kernel), newest last */
  fallbacks = $state.raw<string[]>([]);
  error = $state<LabError | null>(null);
  task = $state.raw<TaskInfo | null>(null);
  params = $state.raw<ParamInfo[]>([]);
  paramCount = $state(0);
  estimatedBytes = $state(0);
  runLabels = $state.raw<string[]>([]);
  /** the settings of the last init, as sent */
  settings = $state.raw<LabSettings | null>(null);

  /** per run, every step's diagnostics in order (the first seed's: seedSteps[0]) */
  steps = $state.raw<StepMetrics[][]>([]);
  /** per run, every evaluation in order (the first seed's: seedEvals[0]) */
  evals = $state.raw<EvalMetrics[][]>([]);
  /** per seed (LabSettings.seeds), per run, every step's diagnostics in order */
  seedSteps = $state.raw<StepMetrics[][][]>([]);
  /** per seed, per run, every evaluation in order */
  seedEvals = $state.raw<EvalMetrics[][][]>([]);
  /** per run, the latest η statistics (null for non-adaptive runs or before the first) */
  eta = $state.raw<(EtaSnapshot | null)[]>([]);
  diverged = $state.raw<Divergence[]>([]);
  hessian = $state.raw<(HessianState | null)[]>([]);
  slice = $state.raw<SliceState | null>(null);
  speedup = $state.raw<SpeedupState | null>(null);

  #client: TrainerPort;
  #unsubscribe: () => void;
  #initKey = '';
  #startWhenReady = false;
  /** a start was sent and its status{running} has not come back: metrics still in flight belong to the old race */
  #awaitingStart = false;
  #nextRequestId = 1;
  #pendingSteps: StepMetrics[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(createClient: () => TrainerPort = () => new TrainerClient()) {
    this.#client = createClient();
    this.#unsubscribe = this.#client.onMessage((msg) => this.#receive(msg));
  }

  get running(): boolean {
    return this.status === 'running';
  }

  /** hessian/slice/speedup requests are served only while the race is not stepping */
  get canRequest(): boolean {
    return (
      this.ready && !this.initializing && this.status !== 'running' && this.error?.phase !== 'crash'
    );
  }

  /** true when `settings` differ from those the shown results were trained with */
  differsFrom(settings: LabSettings): boolean {
    return JSON.stringify(settings) !== this.#initKey;
  }

  /**
   * Builds task and model for `settings` ahead of a start, so the backend badge and any "does not
   * fit" message show before training. Only before a race: results already on screen are never
   * wiped by a settings change (Start applies it).
   */
  prepare(settings: LabSettings): void {
    const key = JSON.stringify(settings);
    if (key === this.#initKey && (this.ready || this.initializing)) return;
    if (this.status !== 'idle' || this.steps.some((s) => s.length > 0)) return;
    this.#init(settings, key);
  }

  /**
   * Starts the race from step 0: the same initial weights and batches every time for the same
   * settings. Only a freshly built race is started directly; otherwise it is built again first
   * (init, then start on ready), because a start sent while the worker's previous loop is still
   * winding down would be dropped.
   */
  start(settings: LabSettings): void {
    const key = JSON.stringify(settings);
    const fresh =
      key === this.#initKey &&
      this.status === 'idle' &&
      !this.error &&
      this.steps.every((s) => s.length === 0);
    if (fresh && this.ready) {
      this.#clearResults();
      this.#sendStart();
    } else if (fresh && this.initializing) {
      this.#startWhenReady = true;
    } else {
      this.#init(settings, key);
      this.#startWhenReady = true;
    }
  }

  pause(): void {
    if (this.status === 'running') this.#client.send({ type: 'pause' });
  }

  resume(): void {
    if (this.status === 'paused') this.#client.send({ type: 'resume' });
  }

  stop(): void {
    if (this.status === 'running' || this.status === 'paused') this.#client.send({ type: 'stop' });
  }

  /** Stops, forgets the results and builds the race again from its initial weights, ready to start. */
  reset(settings: LabSettings): void {
    this.#init(settings, JSON.stringify(settings));
  }

  /** After a crash: a fresh worker (TrainerClient replays the last init), and the race again from step 0. */
  restart(): void {
    this.#client.restart();
    this.ready = false;
    this.error = null;
    this.status = 'idle';
    this.step = 0;
    this.#clearResults();
    this.#initKey = this.settings ? JSON.stringify(this.settings) : '';
    this.initializing = this.settings !== null;
    this.#startWhenReady = this.settings !== null;
  }

  setEtaMatrix(param: string): void {
    this.#client.send({ type: 'eta-matrix', param });
  }

  requestHessian(run: number, iters = 20): void {
    const requestId = this.#nextRequestId++;
    this.hessian = this.hessian.map((h, i) => (i === run ? { state: 'pending', requestId } : h));
    this.#client.send({ type: 'hessian', requestId, run, iters });
  }

  requestSlice(run: number, directions: SliceDirections, n: number, span: SliceSpan): void {
    if (this.slice?.progress)
      this.#client.send({ type: 'cancel', requestId: this.slice.requestId });
    const requestId = this.#nextRequestId++;
    this.slice = { requestId, run, progress: { done: 0, total: n * n }, result: null, error: null };
    this.#client.send({ type: 'slice', requestId, run, directions, n, span });
  }

  requestSpeedup(
    config: OptimizerConfig,
    batches: number[],
    steps: number,
    target: number | null = null,
  ): void {
    if (this.speedup?.progress)
      this.#client.send({ type: 'cancel', requestId: this.speedup.requestId });
    const requestId = this.#nextRequestId++;
    this.speedup = {
      requestId,
      batches,
      steps,
      target,
      progress: { batch: batches[0], step: 0, total: steps },
      curves: null,
      error: null,
    };
    // Plain copies: the config may be a reactive proxy from the link, which postMessage cannot clone.
    this.#client.send({
      type: 'speedup',
      requestId,
      config: { ...config },
      batches: [...batches],
      steps,
      ...(target === null ? {} : { target }),
    });
  }

  cancelRequest(kind: 'slice' | 'speedup'): void {
    const current = kind === 'slice' ? this.slice : this.speedup;
    if (!current?.progress) return;
    this.#client.send({ type: 'cancel', requestId: current.requestId });
    if (kind === 'slice') this.slice = { ...this.slice!, progress: null, error: 'cancelled' };
    else this.speedup = { ...this.speedup!, progress: null, error: 'cancelled' };
  }

  dismissError(): void {
    this.error = null;
  }

  dispose(): void {
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#unsubscribe();
    this.#client.dispose();
  }

  #init(settings: LabSettings, key: string): void {
    this.#initKey = key;
    this.settings = settings;
    this.ready = false;
    this.initializing = true;
    this.error = null;
    this.status = 'idle';
    this.step = 0;
    this.#startWhenReady = false;
    this.#clearResults();
    this.#client.send({ type: 'init', settings });
  }

  #sendStart(): void {
    this.#startWhenReady = false;
    this.#awaitingStart = true;
    this.#client.send({ type: 'start' });
  }

  #clearResults(): void {
    const n = this.settings?.runs.length ?? 0;
    const seeds = this.settings?.seeds ?? 1;
    const perRun = () => Array.from({ length: n }, () => []);
    this.#pendingSteps = [];
    this.seedSteps = Array.from({ length: seeds }, perRun);
    this.seedEvals = Array.from({ length: seeds }, perRun);
    this.steps = this.seedSteps[0] ?? [];
    this.evals = this.seedEvals[0] ?? [];
    this.eta = Array.from({ length: n }, () => null);
    this.hessian = Array.from({ length: n }, () => null);
    this.diverged = [];
    this.slice = null;
  }

  #scheduleFlush(): void {
    if (this.#flushTimer !== null) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = null;
      this.#flush();
    }, FLUSH_MS);
  }

  /** Publishes the buffered step metrics: one new array per run that received points. */
  #flush(): void {
    if (this.#pendingSteps.length === 0) return;
    // A local grouping, never stored in reactive state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byKey = new Map<string, StepMetrics[]>();
    for (const m of this.#pendingSteps) {
      const key = `${m.seed ?? 0}/${m.run}`;
      const list = byKey.get(key) ?? [];
      list.push(m);
      byKey.set(key, list);
    }
    let latest = this.step;
    for (const m of this.#pendingSteps) if ((m.seed ?? 0) === 0) latest = Math.max(latest, m.step);
    this.#pendingSteps = [];
    // Status messages only come on changes of state; the progress between them is the metrics'.
    this.step = latest;
    this.seedSteps = this.seedSteps.map((runs, seed) =>
      runs.map((old, run) => {
        const fresh = byKey.get(`${seed}/${run}`);
        return fresh ? old.concat(fresh) : old;
      }),
    );
    this.steps = this.seedSteps[0] ?? [];
  }

  #receive(msg: FromTrainer): void {
    const stale =
      this.#awaitingStart &&
      (msg.type === 'step-metrics' ||
        msg.type === 'eval-metrics' ||
        msg.type === 'eta-stats' ||
        msg.type === 'diverged');
    if (stale) return;
    switch (msg.type) {
      case 'backend-info':
        this.backend = {
          name: msg.name,
          reason: msg.reason,
          rejected: msg.fallbacks,
          isFallbackAdapter: msg.isFallbackAdapter ?? false,
        };
        break;
      case 'backend-fallback':
        this.fallbacks = [...this.fallbacks, msg.message];
        if (this.backend)
          this.backend = { ...this.backend, name: msg.to, reason: `fell back from ${msg.from}` };
        break;
      case 'ready':
        this.initializing = false;
        this.ready = true;
        this.task = msg.task;
        this.params = msg.params;
        this.paramCount = msg.paramCount;
        this.estimatedBytes = msg.estimatedBytes;
        this.runLabels = msg.runs;
        if (this.#startWhenReady) this.#sendStart();
        break;
      case 'status':
        if (this.#awaitingStart && msg.state !== 'running') break;
        this.#awaitingStart = false;
        this.#flush();
        this.status = msg.state;
        this.step = msg.step;
        break;
      case 'step-metrics':
        for (const m of msg.metrics) this.#pendingSteps.push(m);
        this.#scheduleFlush();
        break;
      case 'eval-metrics': {
        const seed = msg.metrics.seed ?? 0;
        this.seedEvals = this.seedEvals.map((runs, k) =>
          k === seed
            ? runs.map((old, run) => (run === msg.metrics.run ? [...old, msg.metrics] : old))
            : runs,
        );
        this.evals = this.seedEvals[0] ?? [];
        break;
      }
      case 'eta-stats':
        this.eta = this.eta.map((old, run) =>
          run === msg.run
            ? { step: msg.step, histograms: msg.histograms, heatmap: msg.heatmap }
            : old,
        );
        break;
      case 'diverged':
        this.diverged = [
          ...this.diverged,
          { run: msg.run, step: msg.step, message: msg.message, seed: msg.seed ?? 0 },
        ];
        break;
      case 'hessian':
        this.hessian = this.hessian.map((h, i) =>
          i === msg.run
            ? {
                state: 'done',
                step: msg.step,
                loss: msg.loss,
                lambdaMax: msg.lambdaMax,
                iters: msg.iters,
                history: msg.history,
              }
            : h,
        );
        break;
      case 'slice-progress':
        if (this.slice?.requestId === msg.requestId)
          this.slice = { ...this.slice, progress: { done: msg.done, total: msg.total } };
        break;
      case 'slice-done':
        if (this.slice?.requestId === msg.requestId)
          this.slice = { ...this.slice, progress: null, result: msg.result };
        break;
      case 'speedup-progress':
        if (this.speedup?.requestId === msg.requestId)
          this.speedup = {
            ...this.speedup,
            progress: { batch: msg.batch, step: msg.step, total: msg.total },
          };
        break;
      case 'speedup-done':
        if (this.speedup?.requestId === msg.requestId)
          this.speedup = { ...this.speedup, progress: null, curves: msg.curves };
        break;
      case 'error':
        this.#receiveError(msg);
        break;
    }
  }

  #receiveError(msg: Extract<FromTrainer, { type: 'error' }>): void {
    if (msg.phase === 'request') {
      const id = msg.requestId;
      if (this.slice && this.slice.requestId === id)
        this.slice = { ...this.slice, progress: null, error: msg.message };
      else if (this.speedup && this.speedup.requestId === id)
        this.speedup = { ...this.speedup, progress: null, error: msg.message };
      else {
        const run = this.hessian.findIndex((h) => h?.state === 'pending' && h.requestId === id);
        if (run >= 0)
          this.hessian = this.hessian.map((h, i) =>
            i === run ? { state: 'failed', message: msg.message } : h,
          );
        else this.error = { phase: msg.phase, message: msg.message, recoverable: msg.recoverable };
      }
      return;
    }
    this.#flush();
    this.#awaitingStart = false;
    this.error = { phase: msg.phase, message: msg.message, recoverable: msg.recoverable };
    if (msg.phase === 'settings' || msg.phase === 'backend' || msg.phase === 'crash') {
      this.initializing = false;
      this.ready = false;
      this.#startWhenReady = false;
      // A later prepare/start with the same settings must build again.
      this.#initKey = '';
    }
    if (msg.phase === 'crash') {
      this.status = 'stopped';
      if (this.slice?.progress)
        this.slice = { ...this.slice, progress: null, error: 'the worker stopped' };
      if (this.speedup?.progress)
        this.speedup = { ...this.speedup, progress: null, error: 'the worker stopped' };
      this.hessian = this.hessian.map((h) =>
        h?.state === 'pending' ? { state: 'failed', message: 'the worker stopped' } : h,
      );
    }
  }
}
