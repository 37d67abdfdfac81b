/**
 * The GLUE page's cache of Hub downloads (decisions.md "Downloads"): every file lives in one
 * directory of the origin private file system (OPFS), first as a `part` file that grows chunk by
 * chunk, renamed to `done` when complete (Cache Storage refuses partial responses). A `done` file
 * is therefore always whole; a `part` file holds a prefix that a later download resumes from.
 *
 * The name of a file says what it is: `<state> <kind> <repo> <revision> <path>` with each part
 * URI-encoded (so '/' and ' ' cannot split it), e.g.
 * `done model distilbert%2Fdistilroberta-base 0123…cdef model.safetensors`. Nothing else is
 * stored, so the listing cannot disagree with the files.
 *
 * The directory is reached through the small interfaces below (the parts of the OPFS API used), so
 * the logic runs in Node against an in-memory directory in the unit tests.
 */
import type { ChunkSink, RepoKind } from './hub';

export interface CacheWritable {
  seek(position: number): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  /** makes what was written part of the file (OPFS writes go to a swap file until then) */
  close(): Promise<void>;
}

export interface CacheFileHandle {
  getFile(): Promise<Blob & { lastModified?: number }>;
  createWritable(options: { keepExistingData: boolean }): Promise<CacheWritable>;
  /** renames within the directory */
  move(name: string): Promise<void>;
}

export interface CacheDir {
  keys(): AsyncIterable<string>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<CacheFileHandle>;
  removeEntry(name: string): Promise<void>;
}

/** What a cached file is: a file of one revision of one Hub repository. */
export interface CacheKey {
  kind: RepoKind;
  repo: string;
  revision: string;
  path: string;
}

export interface CacheEntry extends CacheKey {
  size: number;
  /** false: a download stopped part-way; resumed from `size` bytes */
  complete: boolean;
  /** ms since the epoch, when the file was last written (0 when unknown) */
  modified: number;
}

type State = 'part' | 'done';

export function cacheName(key: CacheKey, state: State): string {
  return [state, key.kind, key.repo, key.revision, key.path].map(encodeURIComponent).join(' ');
}

/** The key and state a file name stands for; null for a name this cache did not write. */
export function parseCacheName(name: string): (CacheKey & { state: State }) | null {
  const parts = name.split(' ');
  if (parts.length !== 5) return null;
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return null;
  }
  const [state, kind, repo, revision, path] = decoded;
  if ((state !== 'part' && state !== 'done') || (kind !== 'model' && kind !== 'dataset'))
    return null;
  return { state, kind, repo, revision, path };
}

const sameKey = (a: CacheKey, b: CacheKey) =>
  a.kind === b.kind && a.repo === b.repo && a.revision === b.revision && a.path === b.path;

/** A file not being there is not an error when removing or looking up. */
const isNotFound = (e: unknown) => e instanceof Error && e.name === 'NotFoundError';

/**
 * Writes chunks into a `part` file. OPFS commits a writable's bytes only on close, so the sink
 * closes it every `checkpointBytes` (and on save/commit): a tab closed mid-download keeps the
 * last checkpoint, never a torn chunk.
 */
export class CacheSink implements ChunkSink {
  #writable: CacheWritable | null = null;
  #unsaved = 0;
  readonly #handle: CacheFileHandle;
  readonly #doneName: string;
  readonly #checkpointBytes: number;

  constructor(handle: CacheFileHandle, doneName: string, checkpointBytes: number) {
    this.#handle = handle;
    this.#doneName = doneName;
    this.#checkpointBytes = checkpointBytes;
  }

  async size(): Promise<number> {
    await this.save();
    return (await this.#handle.getFile()).size;
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    if (!this.#writable) {
      this.#writable = await this.#handle.createWritable({ keepExistingData: true });
      await this.#writable.seek(offset);
    }
    await this.#writable.write(bytes);
    this.#unsaved += bytes.length;
    if (this.#unsaved >= this.#checkpointBytes) await this.save();
  }

  /** Makes every chunk written so far part of the `part` file (after a cancel or an error too). */
  async save(): Promise<void> {
    const w = this.#writable;
    this.#writable = null;
    this.#unsaved = 0;
    if (w) await w.close();
  }

  async commit(): Promise<void> {
    await this.save();
    await this.#handle.move(this.#doneName);
  }
}

export class HubCache {
  readonly #dir: () => Promise<CacheDir>;
  readonly #checkpointBytes: number;

  /** `dir`: the cache's directory (on the page, a folder of navigator.storage.getDirectory()). */
  constructor(dir: () => Promise<CacheDir>, checkpointBytes = 64 * 1024 * 1024) {
    this.#dir = dir;
    this.#checkpointBytes = checkpointBytes;
  }

  /** Every cached file, complete or partial, sorted by repository, revision and path. */
  async list(): Promise<CacheEntry[]> {
    const dir = await this.#dir();
    const out: CacheEntry[] = [];
    for await (const name of dir.keys()) {
      const key = parseCacheName(name);
      if (!key) continue;
      const file = await (await dir.getFileHandle(name)).getFile();
      const { state, ...rest } = key;
      out.push({
        ...rest,
        size: file.size,
        complete: state === 'done',
        modified: file.lastModified ?? 0,
      });
    }
    const order = (e: CacheEntry) => `${e.kind} ${e.repo} ${e.revision} ${e.path}`;
    return out.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }

  /** A complete file's contents (a File read lazily from disk), or null when not cached. */
  async file(key: CacheKey): Promise<Blob | null> {
    const dir = await this.#dir();
    try {
      return await (await dir.getFileHandle(cacheName(key, 'done'))).getFile();
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** Whether the complete file is cached. */
  async has(key: CacheKey): Promise<boolean> {
    return (await this.list()).some((e) => e.complete && sameKey(e, key));
  }

  /** Where a download of `key` writes: its `part` file, created or resumed. */
  async sink(key: CacheKey): Promise<CacheSink> {
    const dir = await this.#dir();
    const handle = await dir.getFileHandle(cacheName(key, 'part'), { create: true });
    return new CacheSink(handle, cacheName(key, 'done'), this.#checkpointBytes);
  }

  /** Deletes a file, complete or partial. */
  async remove(key: CacheKey): Promise<void> {
    const dir = await this.#dir();
    for (const state of ['done', 'part'] as const) {
      try {
        await dir.removeEntry(cacheName(key, state));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}
