/**
 * The GLUE worker's logic as a plain class, so Node tests drive it exactly as the worker does
 * (glue.worker.ts only wires postMessage to it). The engine is the `glue` command's: the library's
 * readers, `encodeRows`, `createRun` and `FineTune.step`; this file only adds what a page needs:
 * file checks with one message per file, progress, dev evaluations while training, pause and stop.
 *
 * Every message goes through `handle`, which never throws: failures become `error` messages.
 * Optimizers run one after the other from the same initial weights and the same batches.
 */
import { blobSource } from '../glue/bytes';
import { readConfig, type RobertaConfig } from '../glue/config';
import { readTaskFile, type GlueData } from '../glue/data';
import { GlueInputError } from '../glue/errors';
import {
  CONFIG_FILE,
  fineTunedConfig,
  TOKENIZER_CONFIG_FILE,
  tokenizerConfig,
} from '../glue/hfFolder';
import { planWeights } from '../glue/names';
import { openSafetensors, type SafetensorsFile } from '../glue/safetensors';
import { numLabels, TASKS, type TaskSpec } from '../glue/tasks';
import { loadTokenizer, loadTokenizerFromVocabMerges, type GlueTokenizer } from '../glue/tokenizer';
import { ConfigError, validateConfig, type OptimizerConfig } from '../optim/config';
import type { Schedule } from '../optim/schedule';
import {
  dropPooledGpuBuffers,
  pickBackend,
  webgpuDevice,
  type BackendChoice,
  type PickOptions,
} from '../tf/backend';
import { encodeRows, firstRows, headOf, metricsOf } from '../tf/glue/examples';
import { stepsPerEpoch } from '../tf/glue/order';
import { stateFile, weightsFile } from '../tf/glue/checkpoint';
import { inspectStep, type Inspected } from '../tf/glue/inspect';
import { createRun, type Run, type RunInputs } from '../tf/glue/run';
import { speedupExperiment } from '../tf/glue/speedup';
import { groupsOf } from '../tf/model/model';
import type { EncodedExample } from '../tf/roberta/batch';
import type { BackendName, BackendPreference } from '../lab/types';
import {
  CheckpointStore,
  CURVES_KEY,
  curvesOf,
  type ModelFile,
  type RunCurves,
} from './glueCheckpoints';
import {
  GPU_BACKENDS,
  GpuError,
  GpuErrorWatch,
  isOutOfMemory,
  memoryAdvice,
  type ErrorReportingDevice,
} from './glueFailure';
import { bytesOf, TokenCache, tokenKeyOf, tokenSourceOf } from './tokenCache';
import { canonicalJson, entryName, type TokenKey, type TokenRows } from './tokenFormat';
import type { TokenStore } from './tokenStore';
import type {
  DataSummary,
  FileProblem,
  FileRole,
  FromGlue,
  GlueFiles,
  GlueRaceSettings,
  GlueState,
  ModelSummary,
  NamedBlob,
  ResumeFrom,
  RunStatus,
  ToGlue,
} from './glueProtocol';

export interface GlueDeps {
  post: (msg: FromGlue) => void;
  /** replaces pickBackend (Node tests pin 'cpu' or 'wasm') */
  pickBackend?: (pref: BackendPreference, o: PickOptions) => Promise<BackendChoice>;
  /** lets queued messages (pause, stop) run between steps; default: a macrotask */
  yieldToEvents?: () => Promise<void>;
  /** where checkpoints are kept (the browser's OPFS folder; memory in Node tests); null: none */
  checkpoints?: CheckpointStore | null;
  /** where token ids are kept across reloads (OPFS; memory in Node tests); null: memory only */
  tokens?: TokenStore | null;
  /** the WebGPU device whose errors are watched while the race is on webgpu (Node tests: a fake) */
  gpuDevice?: () => ErrorReportingDevice | null;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const MODEL_FILES =
  'config.json, model.safetensors and tokenizer.json (or vocab.json + merges.txt)';

function need(file: NamedBlob | null, what: string): NamedBlob {
  if (!file) throw new GlueInputError(`${what} is missing: choose it (${MODEL_FILES})`);
  return file;
}

async function openConfig(files: GlueFiles): Promise<RobertaConfig> {
  const f = need(files.config, 'config.json');
  return readConfig(await f.blob.text(), f.name);
}

const openWeights = (files: GlueFiles): Promise<SafetensorsFile> => {
  const f = need(files.weights, 'model.safetensors');
  return openSafetensors(blobSource(f.blob, f.name));
};

async function openTokenizer(files: GlueFiles): Promise<GlueTokenizer> {
  if (files.tokenizer)
    return loadTokenizer(await files.tokenizer.blob.text(), files.tokenizer.name);
  if (files.vocab && files.merges)
    return loadTokenizerFromVocabMerges(
      await files.vocab.blob.text(),
      await files.merges.blob.text(),
    );
  throw new GlueInputError(
    `the tokenizer is missing: choose tokenizer.json, or vocab.json and merges.txt`,
  );
}

/** The model folder's files beside a race's checkpoints (hfFolder.ts), from the race's own files. */
async function modelFolderFiles(files: GlueFiles, task: TaskSpec): Promise<ModelFile[]> {
  const configText = await need(files.config, 'config.json').blob.text();
  const text = (t: string) => new TextEncoder().encode(t);
  const tokenizer = [files.tokenizer, files.vocab, files.merges].flatMap((f, i) =>
    f ? [{ name: ['tokenizer.json', 'vocab.json', 'merges.txt'][i], blob: f.blob }] : [],
  );
  return [
    { name: CONFIG_FILE, bytes: text(fineTunedConfig(configText, task)) },
    { name: TOKENIZER_CONFIG_FILE, bytes: text(tokenizerConfig(configText)) },
    ...(await Promise.all(
      (files.tokenizer ? tokenizer.slice(0, 1) : tokenizer).map(async (f) => ({
        name: f.name,
        bytes: await bytesOf(f),
      })),
    )),
  ];
}

async function readData(file: NamedBlob, task: TaskSpec, bytes?: Uint8Array): Promise<GlueData> {
  return readTaskFile(task, bytes ?? (await bytesOf(file)), file.name);
}

const summaryOf = (d: GlueData): DataSummary => ({
  name: d.file,
  rows: d.examples.length,
  labelled: d.labelled,
  skipped: d.skipped,
});

/** The encoded rows of a race, as the token cache keeps them. */
type Encoded = TokenRows;

/** What every run of a race shares: the opened files and the encoded rows. */
interface Prepared {
  config: RobertaConfig;
  weights: SafetensorsFile;
  weightsName: string;
  train: EncodedExample[];
  dev: EncodedExample[];
  /** the scored dev rows (capped), for the metrics */
  devData: GlueData | null;
  schedule: Schedule;
  trainTotal: number;
  devTotal: number;
  fromCache: boolean;
}

export class GlueHandlers {
  readonly #d: Required<GlueDeps>;
  #state: GlueState = 'idle';
  #paused = false;
  #stop = false;
  #wake: (() => void) | null = null;
  readonly #tokens = new TokenCache<Encoded>();
  #backend: BackendName | null = null;
  /** the backends that failed in this worker (a lost device does not come back) */
  readonly #failed: BackendName[] = [];
  /** the WebGPU device's error watch, while the race runs on webgpu */
  #gpu: GpuErrorWatch | null = null;

  constructor(deps: GlueDeps) {
    this.#d = {
      post: deps.post,
      pickBackend: deps.pickBackend ?? pickBackend,
      yieldToEvents: deps.yieldToEvents ?? (() => new Promise((r) => setTimeout(r, 0))),
      checkpoints: deps.checkpoints ?? null,
      tokens: deps.tokens ?? null,
      gpuDevice: deps.gpuDevice ?? webgpuDevice,
    };
  }

  get state(): GlueState {
    return this.#state;
  }

  async handle(msg: ToGlue): Promise<void> {
    try {
      switch (msg.type) {
        case 'inspect':
          return await this.#inspect(msg.id, msg.files, TASKS[msg.task]);
        case 'start':
          return await this.#start(msg.files, msg.settings, msg.resume);
        case 'speedup':
          return await this.#speedup(msg.files, msg.settings, msg.run, msg.batches);
        case 'pause':
          if (this.#state === 'running') {
            this.#paused = true;
            this.#setState('paused');
          }
          return;
        case 'resume':
          if (this.#state === 'paused') {
            this.#paused = false;
            this.#setState('running');
            this.#wake?.();
          }
          return;
        case 'stop':
          this.#stop = true;
          this.#paused = false;
          this.#wake?.();
          return;
      }
    } catch (e) {
      this.#d.post({ type: 'error', phase: 'train', message: messageOf(e) });
    }
  }

  #setState(state: GlueState): void {
    this.#state = state;
    this.#d.post({ type: 'state', state });
  }

  /**
   * Runs a section that works the GPU (a step, a dev evaluation, a checkpoint's readback) so that
   * an error the WebGPU device reports instead of throwing (issue 9 item 6: too little GPU memory)
   * is thrown as a GpuError; as is on other backends.
   */
  #guard<T>(f: () => Promise<T>): Promise<T> {
    const device = this.#backend === 'webgpu' ? this.#d.gpuDevice() : null;
    if (this.#gpu && this.#gpu.device !== device) {
      this.#gpu.dispose();
      this.#gpu = null;
    }
    if (!device) return f();
    this.#gpu ??= new GpuErrorWatch(device);
    return this.#gpu.guard(f);
  }

  /** Each file on its own, so that every bad one is named at once; nothing is kept. */
  async #inspect(id: number, files: GlueFiles, task: TaskSpec): Promise<void> {
    const problems: FileProblem[] = [];
    const attempt = async <T>(role: FileRole, f: () => Promise<T>): Promise<T | null> => {
      try {
        return await f();
      } catch (e) {
        if (!(e instanceof GlueInputError || e instanceof RangeError)) throw e;
        problems.push({ role, message: e.message });
        return null;
      }
    };
    const config = files.config ? await attempt('config', () => openConfig(files)) : null;
    const weights = files.weights ? await attempt('weights', () => openWeights(files)) : null;
    let model: ModelSummary | null = null;
    if (config && weights) {
      const plan = await attempt('weights', async () =>
        planWeights(config, weights.tensors, numLabels(task), files.weights!.name),
      );
      if (plan) {
        let params = 0;
        const dtypes = new Set<string>();
        for (const w of plan.load) {
          params += w.shape.reduce((a, b) => a * b, 1);
          dtypes.add(w.dtype);
        }
        model = {
          layers: config.numHiddenLayers,
          hidden: config.hiddenSize,
          heads: config.numAttentionHeads,
          vocab: config.vocabSize,
          params,
          dtypes: [...dtypes],
          bytes: files.weights!.blob.size,
        };
      }
    }
    if (files.tokenizer || files.vocab || files.merges)
      await attempt(files.tokenizer ? 'tokenizer' : files.vocab ? 'merges' : 'vocab', () =>
        openTokenizer(files),
      );
    const train = files.train
      ? await attempt('train', () => readData(files.train!, task).then(summaryOf))
      : null;
    const dev = files.dev
      ? await attempt('dev', () => readData(files.dev!, task).then(summaryOf))
      : null;
    if (train && train.labelled < train.rows)
      problems.push({
        role: 'train',
        message: `${train.name}: has rows without labels (a test split?): they cannot be trained on`,
      });
    this.#d.post({ type: 'inspected', id, model, train, dev, problems });
  }

  /**
   * What a race and the speed-up experiment share: the settings checked, a backend, the files
   * read and the rows encoded. Null (state idle, the error posted) when one of them fails.
   */
  async #begin(
    files: GlueFiles,
    s: GlueRaceSettings,
  ): Promise<{ task: TaskSpec; inputs: Prepared } | null> {
    if (this.#state === 'preparing' || this.#state === 'running' || this.#state === 'paused') {
      this.#d.post({ type: 'error', phase: 'train', message: 'a race is already running' });
      return null;
    }
    this.#stop = false;
    this.#paused = false;
    this.#setState('preparing');
    try {
      for (const r of s.runs) validateConfig(r.config);
    } catch (e) {
      this.#d.post({ type: 'error', phase: 'input', message: messageOf(e) });
      this.#setState('idle');
      return null;
    }
    let choice: BackendChoice;
    try {
      choice = await this.#d.pickBackend(s.backend, { exclude: this.#failed });
    } catch (e) {
      this.#d.post({ type: 'error', phase: 'backend', message: messageOf(e) });
      this.#setState('idle');
      return null;
    }
    this.#backend = choice.name;
    this.#d.post({
      type: 'backend',
      name: choice.name,
      reason: choice.reason,
      fallbacks: choice.fallbacks,
    });
    const task = TASKS[s.task];
    let inputs: Prepared;
    try {
      inputs = await this.#prepare(files, s, task);
    } catch (e) {
      const input = e instanceof GlueInputError || e instanceof ConfigError;
      this.#d.post({ type: 'error', phase: input ? 'input' : 'train', message: messageOf(e) });
      this.#setState('idle');
      return null;
    }
    return { task, inputs };
  }

  async #start(files: GlueFiles, s: GlueRaceSettings, resume?: ResumeFrom): Promise<void> {
    const begun = await this.#begin(files, s);
    if (!begun) return;
    const { task, inputs } = begun;
    const first = resume?.run ?? 0;
    const firstSeed = resume?.seed ?? 0;
    if (first >= s.runs.length || firstSeed >= s.seeds) {
      this.#d.post({
        type: 'error',
        phase: 'input',
        message: `the race has no run ${first + 1} on seed ${s.seed + firstSeed}`,
      });
      return this.#setState('idle');
    }
    await this.#beginCheckpoints(s, resume !== undefined, files, task);
    this.#setState('running');
    let stopped = false;
    // seed by seed, every optimizer once per seed, one run at a time (decisions.md GLUE); a
    // resumed race continues its run and seed from the checkpoint, the runs after it from the start
    for (let k = firstSeed; k < s.seeds && !stopped; k++)
      for (let i = k === firstSeed ? first : 0; i < s.runs.length && !stopped; i++) {
        const opening = k === firstSeed && i === first;
        let from = opening ? resume : undefined;
        for (;;) {
          try {
            stopped = await this.#race(i, k, s, task, inputs, opening, from);
            break;
          } catch (e) {
            const next = await this.#fallBack(i, k, s, e);
            if (next === false) {
              const message = isOutOfMemory(messageOf(e))
                ? await this.#outOfMemory(i, k, s, e)
                : messageOf(e);
              this.#d.post({ type: 'run', run: i, seed: k, status: 'stopped', message });
              this.#d.post({ type: 'error', phase: 'train', message });
              stopped = true;
              break;
            }
            from = next ?? undefined;
          }
        }
      }
    this.#setState(stopped ? 'stopped' : 'done');
  }

  /**
   * Run i on seed k ran out of memory: the message with the levers that make it smaller, and its
   * last kept checkpoint (from before the failed section: nothing after it is trusted) marked as
   * stopped there.
   */
  async #outOfMemory(i: number, k: number, s: GlueRaceSettings, e: unknown): Promise<string> {
    // an allocation that failed on WebGPU left an invalid buffer in tfjs's pool
    if (this.#backend === 'webgpu') dropPooledGpuBuffers();
    const advice = memoryAdvice(this.#backend ?? 'wasm', messageOf(e), s);
    const store = this.#d.checkpoints;
    const manifest = store ? await store.mark(i, k, 'stopped').catch(() => null) : null;
    const kept = manifest?.runs[i]?.[k];
    if (manifest) this.#d.post({ type: 'checkpoint', manifest });
    return kept
      ? `${advice} The run stopped; its checkpoint at step ${kept.step} is kept.`
      : `${advice} The run stopped (no checkpoint of it was kept yet).`;
  }

  /** A fresh run of `config` from the file's weights (or a checkpoint's) over the prepared rows. */
  #createRun(
    inp: Prepared,
    s: GlueRaceSettings,
    task: TaskSpec,
    o: { config: OptimizerConfig; seed: number; batch: number; schedule: Schedule },
    resumed?: { weights: SafetensorsFile; weightsName: string; state: RunInputs['state'] },
  ): Promise<Run> {
    return createRun({
      config: inp.config,
      weights: resumed?.weights ?? inp.weights,
      weightsName: resumed?.weightsName ?? inp.weightsName,
      head: headOf(task),
      train: inp.train,
      extra: inp.dev,
      settings: {
        config: o.config,
        schedule: o.schedule,
        batch: o.batch,
        microBatch: s.microBatch > 0 ? Math.min(s.microBatch, o.batch) : o.batch,
        seed: o.seed,
        shuffle: true,
      },
      prune: s.pruneVocab,
      dropout: s.dropout,
      freezeWord: s.freezeEmbeddings,
      state: resumed?.state,
    });
  }

  /**
   * The speed-up experiment (paper Figure 1) for run `r` of the settings: from the same weights,
   * each batch size with lr ∝ √b from the run's lr at the settings' batch, a constant schedule (so
   * that T measures the batch size alone), until the training rows' loss reaches the target or
   * the step cap; the loss is checked at every evaluation step.
   */
  async #speedup(
    files: GlueFiles,
    s: GlueRaceSettings,
    r: number,
    batches: number[],
  ): Promise<void> {
    const post = this.#d.post;
    const spec = s.runs[r];
    if (!spec || batches.length === 0 || !batches.every((b) => Number.isInteger(b) && b > 0)) {
      post({
        type: 'error',
        phase: 'input',
        message: 'the speed-up experiment needs a run and batch sizes',
      });
      return;
    }
    const begun = await this.#begin(files, s);
    if (!begun) return;
    const { task, inputs } = begun;
    this.#setState('running');
    const cap = s.speedupSteps;
    try {
      const results = await speedupExperiment({
        batches,
        baseBatch: s.batch,
        lr: spec.config.lr,
        makeRun: (batch, lr, steps) =>
          this.#createRun(inputs, s, task, {
            config: { ...spec.config, lr },
            seed: s.seed,
            batch,
            schedule: { kind: 'constant', warmup: 0, steps },
          }),
        train: inputs.train,
        target: s.speedupLoss,
        cap,
        checkEvery: s.evalEvery,
        onProgress: (batch, step) => post({ type: 'speedup-progress', batch, step, cap }),
        between: async () => {
          // its steps run outside error scopes: what the device reported arrives as events
          this.#gpu?.check();
          await this.#d.yieldToEvents();
          while (this.#paused && !this.#stop) await new Promise<void>((w) => (this.#wake = w));
          return this.#stop;
        },
      });
      post({ type: 'speedup-done', results, target: s.speedupLoss, cap });
      this.#setState(this.#stop ? 'stopped' : 'done');
    } catch (e) {
      post({ type: 'error', phase: 'train', message: messageOf(e) });
      this.#setState('stopped');
    }
  }

  async #prepare(files: GlueFiles, s: GlueRaceSettings, task: TaskSpec): Promise<Prepared> {
    const config = await openConfig(files);
    const weights = await openWeights(files);
    const trainFile = need(files.train, 'the training file');
    const bytes = {
      train: await bytesOf(trainFile),
      dev: files.dev ? await bytesOf(files.dev) : null,
    };
    const trainData = await readData(trainFile, task, bytes.train);
    if (trainData.labelled < trainData.examples.length)
      throw new GlueInputError(
        `${trainFile.name}: has rows without labels (a test split?): they cannot be trained on`,
      );
    const devData = files.dev && bytes.dev ? await readData(files.dev, task, bytes.dev) : null;
    const trainRows = firstRows(trainData, s.maxTrain);
    const devRows = devData ? firstRows(devData, s.maxDev) : null;
    const total = trainRows.examples.length + (devRows?.examples.length ?? 0);
    const key = await tokenKeyOf(files, s, bytes);
    const memoryKey = canonicalJson(key);
    const cached =
      this.#tokens.get(memoryKey) ?? (await this.#storedTokens(key, trainRows, devRows));
    let encoded: Encoded;
    if (cached) {
      encoded = cached;
      this.#tokens.set(memoryKey, cached);
      this.#d.post({ type: 'progress', phase: 'tokenized (from cache)', done: total, total });
    } else {
      const tokenizer = await openTokenizer(files);
      const progress = (done: number) =>
        this.#d.post({ type: 'progress', phase: 'tokenizing', done, total });
      const train = encodeRows(tokenizer, trainRows, s.maxLen, progress);
      const dev = devRows
        ? encodeRows(tokenizer, devRows, s.maxLen, (d) => progress(train.length + d))
        : [];
      progress(total);
      encoded = { train, dev };
      this.#tokens.set(memoryKey, encoded);
      await this.#keepTokens(key, files, encoded);
    }
    const { train, dev } = encoded;
    const order = { rows: train.length, batch: s.batch, shuffle: true, seed: s.seed };
    const steps = s.steps > 0 ? s.steps : s.epochs * stepsPerEpoch(order);
    const schedule: Schedule = {
      kind: s.schedule,
      warmup: s.schedule === 'linear' ? s.warmup : 0,
      steps,
    };
    return {
      config,
      weights,
      weightsName: files.weights!.name,
      train,
      dev,
      devData: devRows,
      schedule,
      trainTotal: trainData.examples.length,
      devTotal: devData?.examples.length ?? 0,
      fromCache: cached != null,
    };
  }

  /**
   * The rows kept on disk under `key`, when the entry is whole and its labels are the data's (a
   * last check that it belongs to these rows); a rejected entry is said once and made again.
   */
  async #storedTokens(
    key: TokenKey,
    train: GlueData,
    dev: GlueData | null,
  ): Promise<Encoded | null> {
    const store = this.#d.tokens;
    if (!store) return null;
    let problem: string | null;
    try {
      const got = await store.get(key);
      if (got.found) {
        const same = (rows: EncodedExample[], data: GlueData | null) =>
          rows.length === (data?.examples.length ?? 0) &&
          rows.every((r, i) => Object.is(r.label, data!.examples[i].label));
        if (same(got.found.train, train) && same(got.found.dev, dev)) return got.found;
        problem = 'its labels are not those of the data';
        await store.remove(await entryName(key));
      } else problem = got.problem;
    } catch (e) {
      problem = messageOf(e);
    }
    if (problem)
      this.#d.post({
        type: 'notice',
        message: `the token ids kept in this browser for these files were not used (${problem}): tokenizing again`,
      });
    return null;
  }

  /** Keeps the rows on disk for the next visit; a failure (a full disk) only says so. */
  async #keepTokens(key: TokenKey, files: GlueFiles, rows: Encoded): Promise<void> {
    try {
      await this.#d.tokens?.put(key, tokenSourceOf(files), rows);
    } catch (e) {
      this.#d.post({
        type: 'notice',
        message: `the token ids were not kept for the next visit: ${messageOf(e)}`,
      });
    }
  }

  /**
   * After run i failed: on a GPU backend (a lost device, or a step that threw there) move to wasm
   * and go on from the run's last kept checkpoint (null: from its start); false when the failure
   * is not the device's (bad input, too little memory, or already on wasm/cpu) or no backend is
   * left.
   */
  async #fallBack(
    i: number,
    k: number,
    s: GlueRaceSettings,
    e: unknown,
  ): Promise<ResumeFrom | null | false> {
    const from = this.#backend;
    // too little memory is the run's size, not the device: the levers are the user's (memoryAdvice)
    if (!from || !GPU_BACKENDS.includes(from) || e instanceof GlueInputError) return false;
    if (isOutOfMemory(messageOf(e))) return false;
    this.#failed.push(from);
    let choice: BackendChoice;
    try {
      choice = await this.#d.pickBackend('wasm', { exclude: this.#failed });
    } catch {
      return false;
    }
    this.#backend = choice.name;
    this.#d.post({
      type: 'backend',
      name: choice.name,
      reason: `${choice.name}, because ${from} failed during the race`,
      fallbacks: [`${from}: ${messageOf(e)}`, ...choice.fallbacks],
    });
    const manifest = await this.#d.checkpoints?.manifest().catch(() => null);
    const kept = manifest && JSON.stringify(manifest.settings) === JSON.stringify(s);
    const entry = kept ? (manifest.runs[i]?.[k] ?? null) : null;
    const files = entry ? await this.#d.checkpoints!.files(i, k).catch(() => null) : null;
    const step = files && entry ? entry.step : 0;
    this.#d.post({
      type: 'notice',
      message:
        `${from} failed during ${s.runs[i].label} (${messageOf(e)}): the race goes on on ` +
        `${choice.name} from ${step > 0 ? `the checkpoint at step ${step}` : 'the start of the run (no checkpoint kept yet)'}.`,
    });
    this.#d.post({ type: 'rewind', run: i, seed: k, step });
    return files && entry
      ? {
          run: i,
          seed: k,
          weights: { name: entry.weights, blob: files.weights },
          state: { name: entry.state, blob: files.state },
        }
      : null;
  }

  /**
   * A new race forgets the kept checkpoints and keeps the model files that make each a folder
   * Hugging Face tools load (hfFolder.ts); a resumed one keeps those of its other runs.
   */
  async #beginCheckpoints(
    s: GlueRaceSettings,
    resuming: boolean,
    files: GlueFiles,
    task: TaskSpec,
  ): Promise<void> {
    const store = this.#d.checkpoints;
    if (!store) return;
    try {
      const kept = resuming ? await store.manifest() : null;
      if (!kept || JSON.stringify(kept.settings) !== JSON.stringify(s))
        await store.begin(s, await modelFolderFiles(files, task));
      const manifest = await store.manifest();
      if (manifest) this.#d.post({ type: 'checkpoint', manifest });
    } catch (e) {
      this.#d.post({ type: 'notice', message: `checkpoints cannot be kept: ${messageOf(e)}` });
    }
  }

  /**
   * Keeps run i's weights and optimizer state on seed k (and its curves). Throws only a GPU error
   * of the readback (it stops the run; the earlier checkpoint stays); other failures are notices.
   */
  async #keep(
    i: number,
    k: number,
    s: GlueRaceSettings,
    run: Run,
    curves: RunCurves,
    status: RunStatus,
  ) {
    const store = this.#d.checkpoints;
    if (!store) return;
    const notKept = (e: unknown) =>
      this.#d.post({
        type: 'notice',
        message: `the checkpoint at step ${run.ft.t} was not kept: ${messageOf(e)}`,
      });
    let weights: Uint8Array, state: Uint8Array;
    try {
      // read back under the device's watch: what a readback short of memory gave is not kept
      [weights, state] = await this.#guard(async () => [
        await weightsFile(run.ft, run.fullWord),
        await stateFile(run.ft, {
          [CURVES_KEY]: JSON.stringify(curves),
          label: s.runs[i].label,
          run: String(i),
          seed: String(k),
        }),
      ]);
    } catch (e) {
      if (e instanceof GpuError) throw e;
      return notKept(e);
    }
    try {
      const info = {
        label: s.runs[i].label,
        seed: k,
        step: run.ft.t,
        steps: run.ft.settings.schedule.steps,
      };
      const manifest = await store.save(i, { ...info, status }, weights, state);
      this.#d.post({ type: 'checkpoint', manifest });
    } catch (e) {
      notKept(e);
    }
  }

  /**
   * Trains run i on seed k (seed + k) to the end (or a stop); true when the race was stopped.
   * `resume`: continue from that checkpoint (its weights replace the model file's, its state file
   * gives k, m, v, v̂ and the step; its curves continue). Checkpoints are kept for every seed.
   */
  async #race(
    i: number,
    k: number,
    s: GlueRaceSettings,
    task: TaskSpec,
    inp: Prepared,
    first: boolean,
    resume?: ResumeFrom,
  ): Promise<boolean> {
    const post = this.#d.post;
    const spec = s.runs[i];
    post({ type: 'run', run: i, seed: k, status: 'running' });
    const resumed = resume
      ? {
          weights: await openSafetensors(blobSource(resume.weights.blob, resume.weights.name)),
          state: {
            file: await openSafetensors(blobSource(resume.state.blob, resume.state.name)),
            name: resume.state.name,
          },
        }
      : null;
    const run: Run = await this.#createRun(
      inp,
      s,
      task,
      { config: spec.config, seed: s.seed + k, batch: s.batch, schedule: inp.schedule },
      resumed && resume
        ? { weights: resumed.weights, weightsName: resume.weights.name, state: resumed.state }
        : undefined,
    );
    const groups = groupsOf(run.ft.model.params);
    const curves: RunCurves = resumed
      ? curvesOf(resumed.state.file.metadata)
      : { steps: [], evals: [] };
    // a resumed run's history ends at its checkpoint
    curves.steps = curves.steps.filter((r) => r.step < run.ft.t);
    curves.evals = curves.evals.filter((e) => e.step <= run.ft.t);
    const keep = (status: RunStatus) => this.#keep(i, k, s, run, curves, status);
    try {
      if (first) {
        const params = Object.values(run.ft.params).reduce((a, t) => a + t.size, 0);
        post({
          type: 'prepared',
          train: inp.train.length,
          trainRows: inp.trainTotal,
          dev: inp.dev.length,
          devRows: inp.devTotal,
          vocabKept: run.ft.vocab ? run.ft.vocab.kept.length : null,
          vocabFull: inp.config.vocabSize,
          params,
          steps: inp.schedule.steps,
          notes: run.notes,
          fromCache: inp.fromCache,
        });
      }
      const perStep = spec.config.rho > 0 ? 2 : 1;
      const evaluate = async (step: number, wallMs: number) => {
        if (!inp.devData || inp.dev.length === 0) return;
        const outputs = await this.#guard(() => run.ft.predict(inp.dev, Math.max(s.batch, 32)));
        const metrics = metricsOf(inp.devData, outputs);
        if (metrics) {
          const point = { step, gradEvals: step * perStep, seed: k, wallMs, metrics };
          curves.evals.push(point);
          post({ type: 'eval', run: i, point });
        }
      };
      if (run.ft.t === 0) await evaluate(0, 0);
      let wallMs = curves.steps.at(-1)?.wallMs ?? 0;
      while (run.ft.t < inp.schedule.steps) {
        await this.#d.yieldToEvents();
        if (this.#paused && !this.#stop) {
          await keep('running');
          while (this.#paused && !this.#stop) await new Promise<void>((r) => (this.#wake = r));
        }
        if (this.#stop) {
          await keep('stopped');
          post({ type: 'run', run: i, seed: k, status: 'stopped' });
          return true;
        }
        const t0 = performance.now();
        const t = run.ft.t;
        // η of the first seed after the first step and wherever the dev rows are scored
        const eta =
          k === 0 && (t === 0 || (t + 1) % s.evalEvery === 0 || t + 1 === inp.schedule.steps);
        let seen: Inspected | null = null;
        const rec = await this.#guard(() =>
          run.ft.step(
            s.diagnostics
              ? async (info) => {
                  seen = await inspectStep(info, { config: spec.config, groups, k: t + 1, eta });
                }
              : undefined,
          ),
        );
        wallMs += performance.now() - t0;
        if (!rec) {
          // the optimizer committed nothing (spec §7.5): the kept weights are the last good ones
          await keep('diverged');
          post({
            type: 'run',
            run: i,
            seed: k,
            status: 'diverged',
            message: `step ${run.ft.t} met a non-finite value; the run stopped with its last good weights (kept as its checkpoint)`,
          });
          return false;
        }
        const step = rec.step + 1;
        const d = (seen as Inspected | null)?.diag ?? null;
        const record = {
          ...rec,
          gradEvals: step * perStep,
          wallMs,
          seed: k,
          deltaNorm: d ? d.deltaNorm : null,
          cosSG: d ? d.cosSG : null,
          sharpness: rec.lossPerturbed !== null ? rec.lossPerturbed - rec.loss : null,
        };
        curves.steps.push(record);
        post({ type: 'step', run: i, record });
        const e = (seen as Inspected | null)?.eta;
        if (e) post({ type: 'eta', run: i, eta: { step: rec.step, ...e } });
        if (step % s.evalEvery === 0 || step === inp.schedule.steps) {
          await evaluate(step, wallMs);
          await keep(step === inp.schedule.steps ? 'ok' : 'running');
        }
      }
      post({ type: 'run', run: i, seed: k, status: 'ok' });
      return false;
    } finally {
      run.dispose();
    }
  }
}
