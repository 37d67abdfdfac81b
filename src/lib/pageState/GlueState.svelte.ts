/**
 * The GLUE page's live state: the files the user picked (by role), what the worker found in them,
 * and the race's series. It owns the worker through a GluePort and offers the verbs the page's
 * buttons call. Series are `$state.raw` arrays replaced on each message (a step takes seconds, so
 * there is no flood to buffer). The page never touches tfjs.
 */
import { kindOf } from '../glue/data';
import type { GlueLinkSettings } from '../state/url';
import type { GluePort } from '../worker/GlueClient';
import type { RaceManifest } from '../worker/glueCheckpoints';
import type { KnownRun } from './glueResume';
import type {
  DataSummary,
  FileProblem,
  FileRole,
  FromGlue,
  GlueEta,
  GlueEval,
  GlueFiles,
  GlueRaceSettings,
  GlueState as WorkerState,
  GlueStep,
  ModelSummary,
  NamedBlob,
  ResumeFrom,
  RunStatus,
  SpeedupResult,
} from '../worker/glueProtocol';
import type { BackendName } from '../lab/types';

export const NO_FILES: GlueFiles = {
  config: null,
  weights: null,
  tokenizer: null,
  vocab: null,
  merges: null,
  train: null,
  dev: null,
};

/**
 * The role of a file by its name, for drag-and-drop and multi-file pickers: the model folder's
 * files by their Hugging Face names, a data file by extension (dev/validation in its name: dev).
 * Null for files the page does not use (tokenizer_config.json, README.md, …).
 */
export function roleOf(name: string): FileRole | null {
  const base = name.split('/').pop()!.toLowerCase();
  if (base === 'config.json') return 'config';
  if (base.endsWith('.safetensors')) return 'weights';
  if (base === 'tokenizer.json') return 'tokenizer';
  if (base === 'vocab.json') return 'vocab';
  if (base === 'merges.txt') return 'merges';
  if (kindOf(base)) return /dev|validation|valid\b/.test(base) ? 'dev' : 'train';
  return null;
}

export interface Inspection {
  model: ModelSummary | null;
  train: DataSummary | null;
  dev: DataSummary | null;
  problems: FileProblem[];
}

export interface Prepared {
  train: number;
  trainRows: number;
  dev: number;
  devRows: number;
  vocabKept: number | null;
  vocabFull: number;
  params: number;
  steps: number;
  notes: string[];
  fromCache: boolean;
}

/** The speed-up experiment of the page: its run, progress while it trains, then its results. */
export interface SpeedupState {
  label: string;
  /** the batch size the run's lr was set for (lr_b = lr·√(b / baseBatch)) */
  baseBatch: number;
  lr: number;
  batches: number[];
  target: number;
  cap: number;
  progress: { batch: number; step: number } | null;
  results: SpeedupResult[] | null;
}

export class GlueState {
  files = $state<GlueFiles>({ ...NO_FILES });
  /** files dropped or picked that the page does not use, by name */
  unused = $state<string[]>([]);
  /** roles whose file came from the Hub cache (a file the user chooses replaces it, not the reverse) */
  cachedRoles = $state<FileRole[]>([]);
  inspection = $state<Inspection | null>(null);
  checking = $state(false);
  status = $state<WorkerState>('idle');
  backend = $state<{ name: BackendName; reason: string; fallbacks: string[] } | null>(null);
  progress = $state<{ phase: string; done: number; total: number } | null>(null);
  prepared = $state<Prepared | null>(null);
  runStatus = $state.raw<RunStatus[]>([]);
  runMessages = $state.raw<(string | null)[]>([]);
  /** per run, every seed's records in the order they came (each names its seed) */
  steps = $state.raw<GlueStep[][]>([]);
  evals = $state.raw<GlueEval[][]>([]);
  /** per run and seed: how its training went */
  seedStatus = $state.raw<RunStatus[][]>([]);
  /** per run, η of its first seed at the steps it was sampled */
  eta = $state.raw<GlueEta[][]>([]);
  speedup = $state.raw<SpeedupState | null>(null);
  error = $state<{ phase: string; message: string } | null>(null);
  /** the settings the shown results were trained with */
  settings = $state.raw<GlueRaceSettings | null>(null);
  /** the checkpoints the worker keeps of the latest race (glueCheckpoints.ts) */
  checkpoint = $state.raw<RaceManifest | null>(null);
  /** what the worker said that stopped nothing (a fallback, a checkpoint not kept) */
  notices = $state.raw<string[]>([]);

  readonly #port: GluePort;
  readonly #off: () => void;
  #inspectId = 0;

  constructor(makePort: () => GluePort) {
    this.#port = makePort();
    this.#off = this.#port.onMessage((m) => this.#receive(m));
  }

  get busy(): boolean {
    return this.status === 'preparing' || this.status === 'running' || this.status === 'paused';
  }

  /** Puts each file in its role (a later file of a role replaces the earlier one). */
  addFiles(list: Iterable<File>, role?: FileRole): void {
    const next = { ...this.files };
    const unused: string[] = [];
    const picked: FileRole[] = [];
    for (const file of list) {
      const r = role ?? roleOf(file.name);
      if (r) {
        next[r] = { name: file.name, blob: file } satisfies NamedBlob;
        picked.push(r);
      } else unused.push(file.name);
    }
    this.files = next;
    this.unused = unused;
    this.cachedRoles = this.cachedRoles.filter((r) => !picked.includes(r));
  }

  removeFile(role: FileRole): void {
    this.files = { ...this.files, [role]: null };
    this.cachedRoles = this.cachedRoles.filter((r) => r !== role);
  }

  /**
   * Fills `roles` from the Hub cache (`next`; a role it lacks is emptied): only roles that are
   * empty or hold an earlier cached file, so a file the user chose is never replaced.
   */
  useCached(next: Partial<GlueFiles>, roles: readonly FileRole[]): void {
    const files = { ...this.files };
    let cached = [...this.cachedRoles];
    let changed = false;
    for (const role of roles) {
      if (files[role] && !cached.includes(role)) continue;
      const file = next[role] ?? null;
      if (!file && !files[role]) continue;
      files[role] = file;
      changed = true;
      cached = cached.filter((r) => r !== role);
      if (file) cached.push(role);
    }
    if (!changed) return;
    this.files = files;
    this.cachedRoles = cached;
  }

  /** Asks the worker to check the files against the task; an older answer is dropped. */
  inspect(task: GlueLinkSettings['task']): void {
    const any = Object.values(this.files).some((f) => f !== null);
    if (!any) {
      this.inspection = null;
      return;
    }
    this.checking = true;
    this.#port.send({
      type: 'inspect',
      id: ++this.#inspectId,
      files: $state.snapshot(this.files) as GlueFiles,
      task,
    });
  }

  start(settings: GlueRaceSettings): void {
    this.#start(settings);
  }

  /**
   * Continues run `resume.run` of the race from a checkpoint, and the runs after it. `kept`: what
   * is known of each run up to there (its curves and status, from the kept checkpoints).
   */
  continueFrom(settings: GlueRaceSettings, resume: ResumeFrom, kept: (KnownRun | null)[]): void {
    this.#start(settings, resume, kept);
  }

  #start(settings: GlueRaceSettings, resume?: ResumeFrom, kept: (KnownRun | null)[] = []): void {
    if (this.busy) return;
    this.settings = settings;
    this.error = null;
    this.notices = [];
    // the worker sends the new race's manifest once it has begun
    this.checkpoint = null;
    this.prepared = null;
    this.progress = null;
    // a continued race shows what came before its run and seed (glueResume.ts decides what)
    const seed = resume?.seed ?? 0;
    this.steps = settings.runs.map((_, i) => kept[i]?.curves.steps ?? []);
    this.evals = settings.runs.map((_, i) => kept[i]?.curves.evals ?? []);
    this.runStatus = settings.runs.map((_, i) =>
      resume && i < resume.run ? (kept[i]?.seeds[seed] ?? 'waiting') : 'waiting',
    );
    this.eta = settings.runs.map(() => []);
    this.seedStatus = settings.runs.map((_, i) => [...(kept[i]?.seeds ?? [])]);
    this.runMessages = settings.runs.map(() => null);
    this.status = 'preparing';
    this.#port.send({
      type: 'start',
      files: $state.snapshot(this.files) as GlueFiles,
      settings,
      ...(resume ? { resume } : {}),
    });
  }

  /**
   * The speed-up experiment for run `run` of `settings` (its lr at the settings' batch scaled by
   * √(b / batch) for each of `batches`); the race's results stay.
   */
  startSpeedup(settings: GlueRaceSettings, run: number, batches: number[]): void {
    if (this.busy) return;
    this.error = null;
    this.speedup = {
      label: settings.runs[run]?.label ?? '',
      baseBatch: settings.batch,
      lr: settings.runs[run]?.config.lr ?? 0,
      batches,
      target: settings.speedupLoss,
      cap: settings.speedupSteps,
      progress: null,
      results: null,
    };
    this.status = 'preparing';
    this.#port.send({
      type: 'speedup',
      files: $state.snapshot(this.files) as GlueFiles,
      settings,
      run,
      batches,
    });
  }

  pause(): void {
    this.#port.send({ type: 'pause' });
  }
  resume(): void {
    this.#port.send({ type: 'resume' });
  }
  stop(): void {
    this.#port.send({ type: 'stop' });
  }
  dismissError(): void {
    this.error = null;
  }
  dispose(): void {
    this.#off();
    this.#port.dispose();
  }

  #set<T>(list: readonly T[], i: number, value: T): T[] {
    const next = [...list];
    next[i] = value;
    return next;
  }

  #receive(m: FromGlue): void {
    switch (m.type) {
      case 'inspected':
        if (m.id !== this.#inspectId) return;
        this.checking = false;
        this.inspection = { model: m.model, train: m.train, dev: m.dev, problems: m.problems };
        return;
      case 'state':
        this.status = m.state;
        if (m.state !== 'preparing') this.progress = null;
        return;
      case 'backend':
        this.backend = { name: m.name, reason: m.reason, fallbacks: m.fallbacks };
        return;
      case 'progress':
        this.progress = { phase: m.phase, done: m.done, total: m.total };
        return;
      case 'prepared': {
        const { type: _t, ...info } = m;
        this.prepared = info;
        return;
      }
      case 'run':
        this.runStatus = this.#set(this.runStatus, m.run, m.status);
        this.seedStatus = this.#set(
          this.seedStatus,
          m.run,
          this.#set(this.seedStatus[m.run] ?? [], m.seed ?? 0, m.status),
        );
        if (m.message) this.runMessages = this.#set(this.runMessages, m.run, m.message);
        return;
      case 'step':
        this.steps = this.#set(this.steps, m.run, [...(this.steps[m.run] ?? []), m.record]);
        return;
      case 'eval':
        this.evals = this.#set(this.evals, m.run, [...(this.evals[m.run] ?? []), m.point]);
        return;
      case 'checkpoint':
        this.checkpoint = m.manifest;
        return;
      case 'rewind':
        this.steps = this.#set(
          this.steps,
          m.run,
          (this.steps[m.run] ?? []).filter((r) => r.seed !== m.seed || r.step < m.step),
        );
        this.evals = this.#set(
          this.evals,
          m.run,
          // a run started again from 0 scores step 0 again
          (this.evals[m.run] ?? []).filter(
            (e) => e.seed !== m.seed || e.step < m.step || (e.step === m.step && m.step > 0),
          ),
        );
        return;
      case 'notice':
        this.notices = [...this.notices, m.message];
        return;
      case 'eta':
        this.eta = this.#set(this.eta, m.run, [...(this.eta[m.run] ?? []), m.eta]);
        return;
      case 'speedup-progress':
        if (this.speedup)
          this.speedup = { ...this.speedup, progress: { batch: m.batch, step: m.step } };
        return;
      case 'speedup-done':
        if (this.speedup) this.speedup = { ...this.speedup, progress: null, results: m.results };
        return;
      case 'error':
        this.error = { phase: m.phase, message: m.message };
        if (this.speedup?.progress) this.speedup = { ...this.speedup, progress: null };
        if (m.phase === 'crash') this.checking = false;
        return;
    }
  }
}
