/**
 * The key of tokenized data (issue 9, item 2: tokenization cached per model and task). It names
 * everything the encoded rows depend on: the task, the maximum length, the caps on rows, the
 * encoding's version, and the tokenizer's and the data's files by the SHA-256 of their bytes, so
 * the same files chosen again after a reload (from disk or the Hub cache) find their rows, and an
 * edited file, another revision or another tokenizer makes another key. The model's weights and
 * config do not change the ids (the pruned vocabulary is made later, per run), so a model that
 * shares its tokenizer shares the entry.
 *
 * The worker keeps the last few encodings in memory (TokenCache) and every one on disk
 * (tokenStore.ts), under the same key.
 */
import { parseCacheName } from '../glue/hubCache';
import type { GlueFiles, GlueRaceSettings, NamedBlob } from './glueProtocol';
import { sha256, type TokenKey, type TokenSource } from './tokenFormat';

/** Bump when tokenization or the framing of rows changes (glue/encode.ts), so old entries miss. */
export const ENCODING_VERSION = 1;

type KeySettings = Pick<GlueRaceSettings, 'task' | 'maxLen' | 'maxTrain' | 'maxDev'>;

export const bytesOf = async (f: NamedBlob): Promise<Uint8Array> =>
  new Uint8Array(await f.blob.arrayBuffer());

/**
 * The key of the rows of these files under these settings; `data`: the training and dev files'
 * bytes when the caller has read them already (they are hashed, not read again).
 */
export async function tokenKeyOf(
  files: GlueFiles,
  s: KeySettings,
  data: { train: Uint8Array; dev: Uint8Array | null },
): Promise<TokenKey> {
  const hash = async (f: NamedBlob | null) => (f ? sha256(await bytesOf(f)) : 'none');
  const tokenizer = files.tokenizer
    ? `json:${await hash(files.tokenizer)}`
    : `vocab:${await hash(files.vocab)}+merges:${await hash(files.merges)}`;
  return {
    encoding: ENCODING_VERSION,
    task: s.task,
    maxLen: s.maxLen,
    maxTrain: s.maxTrain,
    maxDev: s.maxDev,
    tokenizer,
    train: await sha256(data.train),
    dev: data.dev ? await sha256(data.dev) : null,
  };
}

/**
 * What the cache panel shows of an entry: the Hub repository and commit when the tokenizer is a
 * Hub download (its OPFS name says so, hubCache.ts), and the files' names.
 */
export function tokenSourceOf(files: GlueFiles): TokenSource {
  const tok = files.tokenizer ?? files.vocab;
  const stored = (tok?.blob as Partial<File> | undefined)?.name ?? '';
  const hub = parseCacheName(stored);
  return {
    model: hub?.repo ?? null,
    revision: hub?.revision ?? null,
    tokenizer: files.tokenizer?.name ?? [files.vocab?.name, files.merges?.name].join(' + '),
    train: files.train?.name ?? '',
    dev: files.dev?.name ?? null,
  };
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
