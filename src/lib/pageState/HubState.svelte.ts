/**
 * The GLUE page's Hub downloads and cache, as live state: what is cached (with sizes), the storage
 * quota, the download in progress (bytes, MB/s, which file), and the verbs of its buttons —
 * download a model or a task's data at a revision, cancel, delete one cached file. Nothing is
 * fetched but on those verbs, and only from the Hub (lib/glue/hub.ts checks every URL).
 *
 * The cache lives in OPFS (navigator.storage.getDirectory()); in Node tests an in-memory
 * directory stands in for it.
 */
import { GlueInputError } from '../glue/errors';
import { resolveRevision, type RepoKind } from '../glue/hub';
import { HubCache, type CacheDir, type CacheEntry, type CacheKey } from '../glue/hubCache';
import {
  dataPlan,
  downloadPlan,
  modelPlan,
  type CachedSet,
  type HubRole,
  type PlanProgress,
} from '../glue/hubSets';
import { GLUE_DATASET } from '../glue/hub';
import { TASKS, type TaskName } from '../glue/tasks';
import { browserTokenStore, type TokenEntry, type TokenStore } from '../worker/tokenStore';

export type HubFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface HubJob extends Partial<PlanProgress> {
  kind: RepoKind;
  /** what is being downloaded, in words */
  label: string;
}

export interface StorageFigures {
  usage: number;
  quota: number;
}

/** 4 MiB per Range request: a broken connection costs little, and progress moves often. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export class HubState {
  entries = $state.raw<CacheEntry[]>([]);
  /** the token ids the GLUE worker kept (tokenStore.ts), newest first */
  tokens = $state.raw<TokenEntry[]>([]);
  storage = $state.raw<StorageFigures | null>(null);
  job = $state.raw<HubJob | null>(null);
  error = $state<string | null>(null);
  /** the last finished download, in words (for the live region) */
  done = $state<string | null>(null);

  readonly #cache: HubCache | null;
  readonly #fetch: HubFetch;
  readonly #estimate: () => Promise<StorageFigures | null>;
  readonly #tokens: TokenStore | null;
  #abort: AbortController | null = null;

  /** `cache` null: this browser has no OPFS (the panel says so and offers nothing). */
  constructor(
    cache: HubCache | null,
    fetchFn: HubFetch,
    estimate: () => Promise<StorageFigures | null> = async () => null,
    tokens: TokenStore | null = null,
  ) {
    this.#cache = cache;
    this.#fetch = fetchFn;
    this.#estimate = estimate;
    this.#tokens = tokens;
  }

  get available(): boolean {
    return this.#cache !== null;
  }

  get busy(): boolean {
    return this.job !== null;
  }

  /** Reads the cache listing and the storage figures again. */
  async refresh(): Promise<void> {
    if (!this.#cache) return;
    try {
      this.entries = await this.#cache.list();
      this.tokens = (await this.#tokens?.list()) ?? [];
      this.storage = await this.#estimate();
    } catch (e) {
      this.error = `The browser's storage could not be read: ${String(e)}`;
    }
  }

  /** Downloads model `id` at `revision` (empty: main); resolves to the commit, or null. */
  downloadModel(id: string, revision: string): Promise<string | null> {
    return this.#run({ kind: 'model', label: `model ${id}` }, async (signal, onProgress) => {
      const r = await resolveRevision('model', id, revision || 'main', this.#fetch, signal);
      await this.#download(modelPlan(id, r.sha, r.files), signal, onProgress);
      return r.sha;
    });
  }

  /** Downloads a task's training and dev parquet files from nyu-mll/glue at `revision`. */
  downloadData(task: TaskName, revision: string): Promise<string | null> {
    return this.#run({ kind: 'dataset', label: `${task} data` }, async (signal, onProgress) => {
      const r = await resolveRevision(
        'dataset',
        GLUE_DATASET,
        revision || 'main',
        this.#fetch,
        signal,
      );
      await this.#download(dataPlan(TASKS[task], r.sha), signal, onProgress);
      return r.sha;
    });
  }

  /** Stops the download; the chunks already written stay for the next try to resume from. */
  cancel(): void {
    this.#abort?.abort();
  }

  async remove(key: CacheKey): Promise<void> {
    if (!this.#cache || this.busy) return;
    await this.#cache.remove(key);
    await this.refresh();
  }

  /** Deletes one entry of the token cache (the worker tokenizes those rows again when needed). */
  async removeTokens(name: string): Promise<void> {
    if (!this.#tokens) return;
    try {
      await this.#tokens.remove(name);
    } catch (e) {
      this.error = `The token cache entry could not be deleted: ${String(e)}`;
    }
    await this.refresh();
  }

  /** The files of a complete cached set, by role, ready for the worker (read lazily from disk). */
  async blobs(set: CachedSet): Promise<Partial<Record<HubRole, { name: string; blob: Blob }>>> {
    const out: Partial<Record<HubRole, { name: string; blob: Blob }>> = {};
    if (!this.#cache) return out;
    for (const [role, entry] of Object.entries(set.files) as [HubRole, CacheEntry][]) {
      const blob = await this.#cache.file(entry);
      if (blob) out[role] = { name: entry.path.split('/').pop()!, blob };
    }
    return out;
  }

  dismissError(): void {
    this.error = null;
  }

  async #download(
    plan: ReturnType<typeof modelPlan>,
    signal: AbortSignal,
    onProgress: (p: PlanProgress) => void,
  ): Promise<void> {
    await downloadPlan(plan, this.#cache!, {
      fetch: this.#fetch,
      chunkBytes: CHUNK_BYTES,
      signal,
      onProgress,
    });
  }

  async #run(
    job: HubJob,
    body: (signal: AbortSignal, onProgress: (p: PlanProgress) => void) => Promise<string>,
  ): Promise<string | null> {
    if (!this.#cache || this.busy) return null;
    const abort = new AbortController();
    this.#abort = abort;
    this.error = null;
    this.done = null;
    this.job = job;
    try {
      const sha = await body(abort.signal, (p) => {
        this.job = { ...job, ...p };
      });
      this.done = `${job.label} downloaded`;
      return sha;
    } catch (e) {
      if (abort.signal.aborted) this.done = `${job.label}: download cancelled`;
      else
        this.error =
          e instanceof GlueInputError
            ? e.message
            : `${job.label}: the download failed (${String(e)}); what arrived is kept, try again to resume`;
      return null;
    } finally {
      this.#abort = null;
      this.job = null;
      await this.refresh();
    }
  }
}

/** The page's HubState: the cache in an OPFS folder, fetches in CORS mode without credentials. */
export function browserHubState(): HubState {
  const storage = globalThis.navigator?.storage;
  const opfs = typeof storage?.getDirectory === 'function';
  const cache = opfs
    ? new HubCache(
        async () =>
          (await (
            await storage.getDirectory()
          ).getDirectoryHandle('hub-cache', { create: true })) as unknown as CacheDir,
      )
    : null;
  const hubFetch: HubFetch = (url, init) =>
    fetch(url, { ...init, mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' });
  return new HubState(
    cache,
    hubFetch,
    async () => {
      const e = await storage.estimate();
      return e.usage != null && e.quota != null ? { usage: e.usage, quota: e.quota } : null;
    },
    opfs ? browserTokenStore() : null,
  );
}
