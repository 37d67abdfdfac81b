/**
 * The GLUE page's token cache on disk: one file per (tokenizer, task, data files, length, caps) in
 * the OPFS folder `glue-tokens`, beside the Hub downloads (`hub-cache`) and the checkpoints
 * (`glue-checkpoints`), in tokenFormat.ts's format. The worker reads and writes it; the page's
 * cache panel lists and deletes its entries. An entry is written whole under a temporary name
 * (`<name>.part`) and renamed when closed, as the downloads are, so a tab closed mid-write leaves
 * at most a `.part` file, which is never read (the panel lists it for deletion). An entry that
 * fails its checks is deleted when met, and the rows are made again.
 *
 * The folder is reached through hubCache's small directory interface (Node tests: memory).
 */
import type { CacheDir } from '../glue/hubCache';
import {
  decodeTokens,
  encodeTokens,
  entryName,
  readTokenHeader,
  type TokenHeader,
  type TokenKey,
  type TokenRows,
  type TokenSource,
} from './tokenFormat';

const PART = '.part';

/** One file of the folder as the cache panel lists it. */
export interface TokenEntry {
  name: string;
  size: number;
  /** null: an unfinished write or an unreadable file (only deleting it makes sense) */
  header: TokenHeader | null;
  problem: string | null;
}

export type TokenLookup =
  | { found: TokenRows }
  /** no entry (problem null), or one that failed its checks and was deleted */
  | { found: null; problem: string | null };

const isNotFound = (e: unknown) => e instanceof Error && e.name === 'NotFoundError';

async function removeQuietly(dir: CacheDir, name: string): Promise<void> {
  try {
    await dir.removeEntry(name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** Enough of a file to hold its prefix and a header of usual size. */
const HEAD_BYTES = 64 * 1024;

export class TokenStore {
  readonly #dir: () => Promise<CacheDir>;

  constructor(dir: () => Promise<CacheDir>) {
    this.#dir = dir;
  }

  async get(key: TokenKey): Promise<TokenLookup> {
    const dir = await this.#dir();
    const name = await entryName(key);
    let bytes: Uint8Array;
    try {
      const file = await (await dir.getFileHandle(name)).getFile();
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      if (isNotFound(e)) return { found: null, problem: null };
      throw e;
    }
    const read = await decodeTokens(bytes, key);
    if ('rows' in read) return { found: read.rows };
    await removeQuietly(dir, name);
    return { found: null, problem: read.problem };
  }

  /** Keeps `rows` under `key`: written to `<name>.part`, then renamed over any older entry. */
  async put(key: TokenKey, source: TokenSource, rows: TokenRows): Promise<number> {
    const dir = await this.#dir();
    const name = await entryName(key);
    const bytes = await encodeTokens(key, source, rows);
    const handle = await dir.getFileHandle(name + PART, { create: true });
    const w = await handle.createWritable({ keepExistingData: false });
    await w.write(bytes);
    await w.close();
    await removeQuietly(dir, name);
    await handle.move(name);
    return bytes.length;
  }

  /** Every file of the folder with its size and, when readable, its header; newest first. */
  async list(): Promise<TokenEntry[]> {
    const dir = await this.#dir();
    const out: TokenEntry[] = [];
    for await (const name of dir.keys()) {
      const file = await (await dir.getFileHandle(name)).getFile();
      if (name.endsWith(PART)) {
        out.push({ name, size: file.size, header: null, problem: 'an unfinished write' });
        continue;
      }
      let read = readTokenHeader(new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()));
      // a header longer than usual: read the whole file once
      if ('problem' in read && file.size > HEAD_BYTES)
        read = readTokenHeader(new Uint8Array(await file.arrayBuffer()));
      out.push(
        'problem' in read
          ? { name, size: file.size, header: null, problem: read.problem }
          : { name, size: file.size, header: read.header, problem: null },
      );
    }
    return out.sort((a, b) => (b.header?.created ?? 0) - (a.header?.created ?? 0));
  }

  async remove(name: string): Promise<void> {
    await removeQuietly(await this.#dir(), name);
  }
}

/** The browser's store: the OPFS folder `glue-tokens` (null where OPFS is missing). */
export function browserTokenStore(): TokenStore | null {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.getDirectory !== 'function') return null;
  return new TokenStore(
    async () =>
      (await (
        await storage.getDirectory()
      ).getDirectoryHandle('glue-tokens', { create: true })) as unknown as CacheDir,
  );
}
