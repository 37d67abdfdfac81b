/**
 * The worker's cache of tokenized data (issue 9, item 2: tokenization cached per model and task).
 * The key names everything the encoded rows depend on: the task, the maximum length, the caps on
 * rows, and the identity of the tokenizer's and the data's files. A file's identity is its name,
 * the name of the stored file behind it (a Hub download's OPFS name carries the repository and
 * commit), its size and its modification time, so another revision, an edited file or another
 * file of the same name makes another key. Only a few encodings are kept (least recently used
 * first out): each holds every row's token ids.
 */
import type { GlueFiles, GlueRaceSettings, NamedBlob } from './glueProtocol';

export interface FileIdentity {
  name: string;
  /** the Blob's own name (a File's, e.g. the OPFS entry of a Hub download), '' for a bare Blob */
  stored: string;
  size: number;
  modified: number;
}

export function identityOf(f: NamedBlob | null): FileIdentity | null {
  if (!f) return null;
  const file = f.blob as Partial<File>;
  return {
    name: f.name,
    stored: file.name ?? '',
    size: f.blob.size,
    modified: file.lastModified ?? 0,
  };
}

type KeySettings = Pick<GlueRaceSettings, 'task' | 'maxLen' | 'maxTrain' | 'maxDev'>;

/** The cache key of the encoded training and dev rows of these files under these settings. */
export function tokenCacheKey(files: GlueFiles, s: KeySettings): string {
  const tokenizer = files.tokenizer
    ? { json: identityOf(files.tokenizer) }
    : { vocab: identityOf(files.vocab), merges: identityOf(files.merges) };
  return JSON.stringify({
    task: s.task,
    maxLen: s.maxLen,
    maxTrain: s.maxTrain,
    maxDev: s.maxDev,
    tokenizer,
    train: identityOf(files.train),
    dev: identityOf(files.dev),
  });
}

/** A small least-recently-used map. */
export class TokenCache<T> {
  readonly #entries = new Map<string, T>();

  constructor(readonly capacity = 2) {}

  get(key: string): T | undefined {
    const v = this.#entries.get(key);
    if (v !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, v);
    }
    return v;
  }

  set(key: string, value: T): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity)
      this.#entries.delete(this.#entries.keys().next().value!);
  }

  get size(): number {
    return this.#entries.size;
  }
}
