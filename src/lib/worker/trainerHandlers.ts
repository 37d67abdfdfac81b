/**
 * The training worker's logic as a plain class, so Node tests can drive it with the cpu backend
 * exactly as the worker does (trainer.worker.ts only wires `postMessage` to it).
 *
 * Every ToTrainer message goes through `handle`, which never throws: failures become `error`
 * messages (trainerProtocol.ts documents each message). Training rounds and on-demand requests
 * (hessian, slice, speed-up) take turns through one lock, and the loop yields to the event loop
 * between rounds, so pause/stop/cancel messages are seen promptly and the page never waits on a
 * long computation.
 *
 * Backend failure: a lost WebGPU device (or a step that throws on a GPU backend) makes the
 * worker pick the next backend, say so (`backend-fallback`), rebuild the race from the same seed
 * and start training again from step 0: optimizer state cannot be read back from a lost device.
 */
import { ConfigError, validateConfig } from '../optim/config';
import { checkBatches, checkLabSettings } from '../state/labCheck';
import { memoryBudget, pickBackend, type BackendChoice, type PickOptions } from '../tf/backend';
import { describeExample, makeTask, type Dataset } from '../tf/data';
import { defaultEtaMatrix } from '../tf/model/model';
import type { TokenBatch } from '../tf/model/tokenBatch';
import {
  checkModel,
  estimateBytes,
  largestTensorBytes,
  modelFor,
  paramCount,
  transformer,
} from '../tf/model/transformer';
import { hessianTopEigen, lossSlice, Race, speedupExperiment, tokenData } from '../tf/train';
import type { FromTrainer, RunState, ToTrainer } from './trainerProtocol';
import {
  seedOf,
  type BackendName,
  type LabSettings,
  type StepMetrics,
  type TextName,
} from '../lab/types';

export interface HandlerDeps {
  /** postMessage (with optional transfer list) */
  post: (msg: FromTrainer, transfer?: Transferable[]) => void;
  /** texts of the char-LM task */
  texts?: Partial<Record<TextName, string>>;
  /** replaces pickBackend (tests pin 'cpu') */
  pickBackend?: (pref: LabSettings['backend'], o: PickOptions) => Promise<BackendChoice>;
  /** lets queued messages run; default: a macrotask (setTimeout 0) */
  yieldToEvents?: () => Promise<void>;
  /** step-metrics are batched and sent at most this often (ms); default 50 */
  flushMs?: number;
}

const MiB = 1024 * 1024;
const fmtMiB = (b: number) => `${(b / MiB).toFixed(0)} MiB`;

/** A message for the page from anything thrown. */
const messageOf = (err: unknown): string =>
  err instanceof ConfigError ? `${err.message}` : err instanceof Error ? err.message : String(err);

export class TrainerHandlers {
  readonly #d: Required<Omit<HandlerDeps, 'texts'>> & { texts: Partial<Record<TextName, string>> };
  #settings: LabSettings | null = null;
  /** the race of the first seed: η statistics, Hessian, slice and speed-up use it */
  #race: Race<TokenBatch> | null = null;
  /** the races of the other seeds (LabSettings.seeds), trained in step with the first */
  #others: Race<TokenBatch>[] = [];
  #backend: BackendName | null = null;
  #failedBackends: BackendName[] = [];
  #backendLost: string | null = null;
  #state: RunState = 'idle';
  #looping = false;
  /** settles when the current training loop has returned (after its step in flight) */
  #loopDone: Promise<void> = Promise.resolve();
  /** the heatmap's matrix; null: the model's default */
  #etaMatrix: string | null = null;
  #cancelled = new Set<number>();
  #chain: Promise<unknown> = Promise.resolve();
  #pending: StepMetrics[] = [];
  #lastFlush = 0;

  constructor(deps: HandlerDeps) {
    this.#d = {
      post: deps.post,
      texts: deps.texts ?? {},
      pickBackend: deps.pickBackend ?? pickBackend,
      yieldToEvents: deps.yieldToEvents ?? (() => new Promise((r) => setTimeout(r, 0))),
      flushMs: deps.flushMs ?? 50,
    };
  }

  get state(): RunState {
    return this.#state;
  }

  /** The race built by init (tests inspect it). */
  get race(): Race<TokenBatch> | null {
    return this.#race;
  }

  /** Handles one message; resolves when its work is done (for start/resume: when training stops). */
  async handle(msg: ToTrainer): Promise<void> {
    try {
      switch (msg.type) {
        case 'init':
          return await this.#init(msg.settings);
        case 'start':
          return await this.#start(true);
        case 'resume':
          return await this.#start(false);
        case 'pause':
          if (this.#state === 'running') this.#setState('paused');
          return;
        case 'stop':
          if (this.#state === 'running' || this.#state === 'paused') this.#setState('stopped');
          return;
        case 'eta-matrix':
          this.#etaMatrix = msg.param;
          return;
        case 'hessian':
          return await this.#hessian(msg);
        case 'slice':
          return await this.#slice(msg);
        case 'speedup':
          return await this.#speedup(msg);
        case 'cancel':
          this.#cancelled.add(msg.requestId);
          return;
        case 'dispose':
          this.#setState('stopped');
          await this.#exclusive(async () => this.#disposeRace());
          return;
        default:
          this.#error(
            'settings',
            `unknown message ${JSON.stringify((msg as { type?: unknown }).type)}`,
            true,
          );
      }
    } catch (err) {
      this.#error('train', messageOf(err), true);
    }
  }

  // ─── init ──────────────────────────────────────────────────────────────────────────────────

  async #init(settings: LabSettings): Promise<void> {
    this.#setState('stopped');
    await this.#exclusive(async () => {
      this.#disposeRace();
      this.#settings = null;
      const problems = checkLabSettings(settings);
      if (problems.length) return this.#error('settings', problems.join('; '), true);
      let choice: BackendChoice;
      try {
        choice = await this.#d.pickBackend(settings.backend, this.#pickOptions());
      } catch (err) {
        return this.#error('backend', messageOf(err), false);
      }
      this.#backend = choice.name;
      this.#d.post({ type: 'backend-info', ...choice });
      await this.#build(settings);
    });
  }

  #pickOptions(): PickOptions {
    return {
      exclude: this.#failedBackends,
      onDeviceLost: (message) => {
        this.#backendLost = message;
      },
    };
  }

  /** Task, model, memory check and race for `settings` on the current backend; posts ready or error. */
  async #build(settings: LabSettings): Promise<boolean> {
    let data: Dataset;
    try {
      data = makeTask(settings.task, settings.seed, this.#d.texts);
    } catch (err) {
      this.#error('settings', `task: ${messageOf(err)}`, true);
      return false;
    }
    const model = modelFor(settings.model, data);
    const modelProblems = checkModel(model);
    if (modelProblems.length) {
      this.#error('settings', `model: ${modelProblems.join('; ')}`, true);
      return false;
    }
    const seeds = settings.seeds ?? 1;
    const bytes = estimateBytes(model, settings.batch, settings.runs.length * seeds);
    const budget = memoryBudget(this.#backend ?? 'cpu');
    const largest = largestTensorBytes(model, settings.batch);
    if (bytes > budget.total || largest > budget.buffer) {
      this.#error(
        'settings',
        `the model is too large for ${this.#backend}: training needs about ${fmtMiB(bytes)} (largest tensor ${fmtMiB(largest)}), ` +
          `the budget is ${fmtMiB(budget.total)} (buffers up to ${fmtMiB(budget.buffer)}). Use a smaller batch, d_model, MLP width, fewer runs or fewer seeds.`,
        true,
      );
      return false;
    }
    const race = (k: number) =>
      new Race({
        model: transformer(model),
        data: tokenData(data),
        runs: settings.runs,
        batch: settings.batch,
        seed: seedOf(settings.seed, k),
        // only the first seed's weights are sliced
        snapshotEvery:
          k === 0
            ? (settings.snapshotEvery ?? Math.max(1, Math.round(settings.steps / 50)))
            : settings.steps + 1,
      });
    this.#race = race(0);
    for (let k = 1; k < seeds; k++) this.#others.push(race(k));
    await this.#race.snapshotInitial();
    this.#settings = settings;
    if (settings.etaMatrix) this.#etaMatrix = settings.etaMatrix;
    this.#d.post({
      type: 'ready',
      task: {
        kind: settings.task.kind,
        trainSize: data.train.n,
        testSize: data.test.n,
        tokens: data.tokens,
        model,
        example: describeExample(data),
      },
      params: this.#race.model.params.map((p) => ({ ...p, shape: [...p.shape] })),
      paramCount: paramCount(model),
      estimatedBytes: bytes,
      runs: settings.runs.map((r) => r.label),
    });
    this.#setState('idle');
    return true;
  }

  // ─── training loop ─────────────────────────────────────────────────────────────────────────

  async #start(fromScratch: boolean): Promise<void> {
    // An init sent just before may still be building (the page can send init(A), init(B) and,
    // on A's ready, start): start after it, on the race the last init asked for.
    if (!this.#looping) await this.#exclusive(async () => undefined);
    if (!this.#race || !this.#settings)
      return this.#error('train', 'nothing to train: send init first', true);
    if (this.#looping) {
      if (this.#state === 'paused') this.#setState('running');
      if (this.#state === 'running') return;
      // stopped, but its last step is still in flight: start once that loop has wound down
      await this.#loopDone;
      if (this.#looping) return;
    }
    if (!fromScratch && this.#state !== 'paused') return;
    if (fromScratch && this.#race.step > 0) {
      const ok = await this.#exclusive(async () => {
        this.#disposeRace();
        return this.#build(this.#settings!);
      });
      if (!ok) return;
    }
    await this.#loop();
  }

  #loop(): Promise<void> {
    this.#loopDone = this.#runLoop();
    return this.#loopDone;
  }

  async #runLoop(): Promise<void> {
    const s = this.#settings!;
    this.#looping = true;
    this.#setState('running');
    try {
      if (this.#race!.step === 0) await this.#exclusive(() => this.#evaluateAll());
      while (this.#state === 'running') {
        const races = this.#races();
        if (!races.some((r) => r.active && r.step < s.steps)) break;
        const failed = await this.#exclusive(async () => {
          try {
            // one step of every seed's race: the seeds stay in step, so the band is never stale
            for (const [k, race] of races.entries()) {
              if (!race.active || race.step >= s.steps) continue;
              if (this.#backendLost) throw new Error(this.#backendLost);
              await this.#round(race, k, s);
            }
            return null;
          } catch (err) {
            return messageOf(err);
          }
        });
        if (failed !== null && !(await this.#fallBack(failed))) break;
        if (performance.now() - this.#lastFlush >= this.#d.flushMs) this.#flush();
        await this.#d.yieldToEvents();
      }
    } finally {
      this.#flush();
      this.#looping = false;
    }
    if (this.#state === 'running') this.#setState('done');
  }

  /** Every seed's race, the first seed's first (empty before init). */
  #races(): Race<TokenBatch>[] {
    return this.#race ? [this.#race, ...this.#others] : [];
  }

  /** One round of the race of seed `k`: its metrics (tagged with the seed after the first), η and evaluations. */
  async #round(race: Race<TokenBatch>, k: number, s: LabSettings): Promise<void> {
    const etaEvery = s.etaEvery ?? s.evalEvery;
    const tag = k === 0 ? {} : { seed: k };
    const wantEta = k === 0 && etaEvery > 0 && (race.step + 1) % etaEvery === 0;
    const results = await race.round(
      wantEta ? { heatmap: this.#etaMatrix ?? defaultEtaMatrix(race.model) } : undefined,
    );
    for (const r of results) {
      if (r.kind === 'step') {
        this.#pending.push({ ...r.metrics, ...tag });
        if (r.eta)
          this.#d.post({
            type: 'eta-stats',
            run: r.metrics.run,
            step: r.metrics.step,
            histograms: r.eta.histograms,
            heatmap: r.eta.heatmap,
          });
      } else if (r.kind === 'diverged') {
        this.#d.post({ type: 'diverged', run: r.run, step: r.step, message: r.message, ...tag });
      }
    }
    for (const r of results) {
      if (r.kind === 'step' && (r.metrics.step % s.evalEvery === 0 || r.metrics.step === s.steps)) {
        this.#flush();
        const metrics = await race.evaluate(r.metrics.run);
        this.#d.post({ type: 'eval-metrics', metrics: { ...metrics, ...tag } });
      }
    }
  }

  /**
   * After a failed step: on a GPU backend (or after a device loss) move to the next backend and
   * rebuild; otherwise report the error and stop. Returns whether training can go on.
   */
  async #fallBack(message: string): Promise<boolean> {
    const from = this.#backend;
    const gpu = from === 'webgpu' || from === 'webgl';
    if (!from || (!gpu && !this.#backendLost)) {
      this.#error('train', message, true);
      this.#setState('stopped');
      return false;
    }
    this.#failedBackends.push(from);
    this.#backendLost = null;
    return this.#exclusive(async () => {
      this.#disposeRace();
      let choice: BackendChoice;
      try {
        choice = await this.#d.pickBackend('auto', this.#pickOptions());
      } catch (err) {
        this.#error('backend', messageOf(err), false);
        this.#setState('stopped');
        return false;
      }
      this.#backend = choice.name;
      this.#d.post({
        type: 'backend-fallback',
        from,
        to: choice.name,
        message: `${message}. Training restarts from step 0 on ${choice.name}.`,
      });
      this.#d.post({ type: 'backend-info', ...choice });
      const ok = await this.#build(this.#settings!);
      if (ok) {
        this.#setState('running');
        await this.#evaluateAll();
      } else this.#setState('stopped');
      return ok;
    });
  }

  async #evaluateAll(): Promise<void> {
    for (const [k, race] of this.#races().entries()) {
      for (let i = 0; i < race.runs.length; i++) {
        if (race.runs[i].opt.status !== 'ok') continue;
        const metrics = await race.evaluate(i);
        this.#d.post({
          type: 'eval-metrics',
          metrics: k === 0 ? metrics : { ...metrics, seed: k },
        });
      }
    }
  }

  // ─── requests ──────────────────────────────────────────────────────────────────────────────

  #runFor(run: number) {
    const race = this.#race;
    if (!race) throw new Error('nothing trained yet: send init first');
    if (!(run >= 0 && run < race.runs.length)) throw new Error(`no run ${run}`);
    return { race, r: race.runs[run] };
  }

  async #request(requestId: number, work: () => Promise<void>): Promise<void> {
    await this.#exclusive(async () => {
      try {
        if (!this.#cancelled.has(requestId)) await work();
      } catch (err) {
        this.#error('request', messageOf(err), true, requestId);
      } finally {
        this.#cancelled.delete(requestId);
      }
    });
  }

  #hessian(m: Extract<ToTrainer, { type: 'hessian' }>): Promise<void> {
    return this.#request(m.requestId, async () => {
      const { race, r } = this.#runFor(m.run);
      const fixed = race.fixedLoss();
      try {
        const iters = Math.max(1, Math.min(200, Math.floor(m.iters)));
        const { lambdaMax, history, loss } = await hessianTopEigen(r.opt.params, fixed.lossFn, {
          iters,
          seed: race.seed,
          shouldStop: () => this.#cancelled.has(m.requestId),
        });
        if (!this.#cancelled.has(m.requestId)) {
          this.#d.post({
            type: 'hessian',
            requestId: m.requestId,
            run: m.run,
            step: r.step,
            loss,
            lambdaMax,
            iters: history.length,
            history,
          });
        }
      } finally {
        fixed.dispose();
      }
    });
  }

  #slice(m: Extract<ToTrainer, { type: 'slice' }>): Promise<void> {
    return this.#request(m.requestId, async () => {
      const { race, r } = this.#runFor(m.run);
      const n = Math.max(2, Math.min(41, Math.floor(m.n)));
      const fixed = race.fixedLoss();
      try {
        const out = await lossSlice(r.opt.params, fixed.lossFn, {
          directions: m.directions,
          n,
          span: m.span,
          seed: race.seed,
          config: r.config,
          specs: race.model.params,
          snapshots: r.snapshots,
          shouldStop: () => this.#cancelled.has(m.requestId),
          onProgress: async (done, total) => {
            this.#d.post({ type: 'slice-progress', requestId: m.requestId, done, total });
            await this.#d.yieldToEvents();
          },
        });
        if (out) {
          this.#d.post(
            {
              type: 'slice-done',
              requestId: m.requestId,
              result: {
                run: m.run,
                step: r.step,
                directions: m.directions,
                n,
                ...out,
              },
            },
            [out.grid.buffer],
          );
        }
      } finally {
        fixed.dispose();
      }
    });
  }

  #speedup(m: Extract<ToTrainer, { type: 'speedup' }>): Promise<void> {
    return this.#request(m.requestId, async () => {
      const race = this.#race;
      if (!race) throw new Error('nothing to train: send init first');
      const config = validateConfig({ ...m.config });
      const batchProblem = checkBatches(m.batches);
      if (batchProblem) throw new Error(batchProblem);
      let last = 0;
      const curves = await speedupExperiment({
        model: race.model,
        data: race.data,
        x0: race.x0,
        config,
        batches: m.batches,
        steps: Math.max(1, Math.floor(m.steps)),
        seed: race.seed,
        target: Number.isFinite(m.target) ? m.target : undefined,
        shouldStop: () => this.#cancelled.has(m.requestId),
        onProgress: async (batch, step, total) => {
          if (step === total || performance.now() - last > 100) {
            last = performance.now();
            this.#d.post({ type: 'speedup-progress', requestId: m.requestId, batch, step, total });
            await this.#d.yieldToEvents();
          }
        },
      });
      if (!this.#cancelled.has(m.requestId)) {
        this.#d.post(
          { type: 'speedup-done', requestId: m.requestId, curves },
          curves.map((c) => c.losses.buffer as ArrayBuffer),
        );
      }
    });
  }

  // ─── plumbing ──────────────────────────────────────────────────────────────────────────────

  #exclusive<T>(f: () => Promise<T>): Promise<T> {
    const result = this.#chain.then(f);
    this.#chain = result.catch(() => undefined);
    return result;
  }

  #flush(): void {
    this.#lastFlush = performance.now();
    if (!this.#pending.length) return;
    this.#d.post({ type: 'step-metrics', metrics: this.#pending });
    this.#pending = [];
  }

  #setState(state: RunState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#d.post({ type: 'status', state, step: this.#race?.step ?? 0 });
  }

  #error(
    phase: Extract<FromTrainer, { type: 'error' }>['phase'],
    message: string,
    recoverable: boolean,
    requestId?: number,
  ): void {
    this.#d.post({
      type: 'error',
      phase,
      message,
      recoverable,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }

  #disposeRace(): void {
    for (const race of this.#races()) race.dispose();
    this.#race = null;
    this.#others = [];
  }
}
