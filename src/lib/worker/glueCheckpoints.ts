/**
 * The GLUE race's checkpoints kept in this browser (decisions.md, GLUE: large models race one run
 * at a time, checkpoints in OPFS). One folder holds the last checkpoint of every run and seed of
 * the latest race, in the formats the `glue` command's --save writes (checkpoint.ts):
 * `run-<i>-seed-<k>-<t>.model.safetensors` (HF names, full vocabulary) and
 * `….optimizer.safetensors` (k, m, v, v̂, step, data order); the race's model files that make a
 * checkpoint a folder Hugging Face tools load (hfFolder.ts: config.json with the task's head, the
 * tokenizer's files, tokenizer_config.json), shared by every run; and `race.json`, the manifest
 * naming them. A checkpoint's two files are written whole (an OPFS writable commits on close)
 * before the manifest points at them, and the older pair is deleted only after that: a tab closed
 * at any moment leaves a consistent pair.
 *
 * The folder is reached through hubCache's small directory interface, so Node tests run the same
 * code against an in-memory directory; the worker writes, the page reads (list, download, resume).
 */
import type { CacheDir } from '../glue/hubCache';
import type { GlueEval, GlueRaceSettings, GlueStep, RunStatus } from './glueProtocol';

export const MANIFEST = 'race.json';

/** The last checkpoint of one run on one seed. */
export interface KeptRun {
  label: string;
  /** which of the race's seeds (0: the first) */
  seed: number;
  /** weights after this many steps (the data position) */
  step: number;
  /** the run's planned steps */
  steps: number;
  status: RunStatus;
  weights: string;
  state: string;
  bytes: number;
}

export const MANIFEST_VERSION = 2;

export interface RaceManifest {
  /** 2: per run and seed (version 1 kept the first seed's only, and is not read) */
  version: typeof MANIFEST_VERSION;
  settings: GlueRaceSettings;
  /** per run of the race, per seed; null: no checkpoint of that run and seed yet */
  runs: (KeptRun | null)[][];
  /** the model files beside the checkpoints, by their names in a model folder */
  model: string[];
  /** ms since the epoch */
  savedAt: number;
}

/** A run's curves up to its checkpoint, kept in the state file's metadata under CURVES_KEY. */
export interface RunCurves {
  steps: GlueStep[];
  evals: GlueEval[];
}

export const CURVES_KEY = 'curves';

/** The curves of a state file's metadata; none when absent (a file the `glue` command wrote). */
export function curvesOf(metadata: Record<string, string>): RunCurves {
  try {
    const c = JSON.parse(metadata[CURVES_KEY] ?? '') as RunCurves;
    if (Array.isArray(c.steps) && Array.isArray(c.evals)) return c;
  } catch {
    // no curves: the run resumes with an empty history
  }
  return { steps: [], evals: [] };
}

const isNotFound = (e: unknown) => e instanceof Error && e.name === 'NotFoundError';

async function writeFile(dir: CacheDir, name: string, parts: Uint8Array[]): Promise<void> {
  const w = await (
    await dir.getFileHandle(name, { create: true })
  ).createWritable({
    keepExistingData: false,
  });
  for (const p of parts) await w.write(p);
  await w.close();
}

/** A file of the model folder kept beside the checkpoints. */
export interface ModelFile {
  name: string;
  bytes: Uint8Array;
}

/** The model files' names in the store (a prefix keeps them apart from the checkpoints). */
const modelName = (name: string) => `model-${name}`;

async function remove(dir: CacheDir, name: string): Promise<void> {
  try {
    await dir.removeEntry(name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

export class CheckpointStore {
  readonly #dir: () => Promise<CacheDir>;

  constructor(dir: () => Promise<CacheDir>) {
    this.#dir = dir;
  }

  /** The manifest of the kept race, or null (none, or one this version cannot read). */
  async manifest(): Promise<RaceManifest | null> {
    const dir = await this.#dir();
    try {
      const text = await (await (await dir.getFileHandle(MANIFEST)).getFile()).text();
      const m = JSON.parse(text) as RaceManifest;
      return m.version === MANIFEST_VERSION && Array.isArray(m.runs) ? m : null;
    } catch (e) {
      if (isNotFound(e) || e instanceof SyntaxError) return null;
      throw e;
    }
  }

  /** Forgets every checkpoint and starts the manifest of a new race with its model files. */
  async begin(settings: GlueRaceSettings, model: ModelFile[] = []): Promise<void> {
    await this.clear();
    const dir = await this.#dir();
    for (const f of model) await writeFile(dir, modelName(f.name), [f.bytes]);
    await this.#writeManifest({
      version: MANIFEST_VERSION,
      settings,
      runs: settings.runs.map(() => Array.from({ length: settings.seeds }, () => null)),
      model: model.map((f) => f.name),
      savedAt: Date.now(),
    });
  }

  /** Keeps run `run`'s checkpoint on seed `info.seed` after `step` steps, replacing its earlier one. */
  async save(
    run: number,
    info: Omit<KeptRun, 'weights' | 'state' | 'bytes'>,
    weights: Uint8Array,
    state: Uint8Array,
  ): Promise<RaceManifest> {
    const dir = await this.#dir();
    const m = await this.manifest();
    const k = info.seed;
    if (!m || run >= m.runs.length || k >= m.runs[run].length)
      throw new Error('no race manifest to add a checkpoint to');
    const stem = `run-${run}-seed-${k}-${info.step}`;
    const kept: KeptRun = {
      ...info,
      weights: `${stem}.model.safetensors`,
      state: `${stem}.optimizer.safetensors`,
      bytes: weights.byteLength + state.byteLength,
    };
    const old = m.runs[run][k];
    await writeFile(dir, kept.weights, [weights]);
    await writeFile(dir, kept.state, [state]);
    m.runs[run][k] = kept;
    m.savedAt = Date.now();
    await this.#writeManifest(m);
    if (old && old.weights !== kept.weights) {
      await remove(dir, old.weights);
      await remove(dir, old.state);
    }
    return m;
  }

  /** Marks a kept run and seed's status (e.g. stopped by too little memory) without new files. */
  async mark(run: number, seed: number, status: RunStatus): Promise<RaceManifest | null> {
    const m = await this.manifest();
    const kept = m?.runs[run]?.[seed];
    if (!m || !kept) return m;
    kept.status = status;
    await this.#writeManifest(m);
    return m;
  }

  /** The two files of a kept run and seed, as Files read lazily from disk. */
  async files(run: number, seed = 0): Promise<{ weights: Blob; state: Blob } | null> {
    const kept = (await this.manifest())?.runs[run]?.[seed];
    if (!kept) return null;
    const dir = await this.#dir();
    try {
      return {
        weights: await (await dir.getFileHandle(kept.weights)).getFile(),
        state: await (await dir.getFileHandle(kept.state)).getFile(),
      };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** The race's model files (config.json, tokenizer files) by their names in a model folder. */
  async modelFiles(): Promise<{ name: string; blob: Blob }[]> {
    const m = await this.manifest();
    if (!m) return [];
    const dir = await this.#dir();
    const out: { name: string; blob: Blob }[] = [];
    for (const name of m.model ?? []) {
      try {
        out.push({ name, blob: await (await dir.getFileHandle(modelName(name))).getFile() });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return out;
  }

  async clear(): Promise<void> {
    const dir = await this.#dir();
    const names: string[] = [];
    for await (const name of dir.keys()) names.push(name);
    for (const name of names) await remove(dir, name);
  }

  async #writeManifest(m: RaceManifest): Promise<void> {
    await writeFile(await this.#dir(), MANIFEST, [new TextEncoder().encode(JSON.stringify(m))]);
  }
}

/** The browser's store: the OPFS folder `glue-checkpoints` (null where OPFS is missing). */
export function browserCheckpointStore(): CheckpointStore | null {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.getDirectory !== 'function') return null;
  return new CheckpointStore(
    async () =>
      (await (
        await storage.getDirectory()
      ).getDirectoryHandle('glue-checkpoints', { create: true })) as unknown as CacheDir,
  );
}
