/**
 * Hugging Face Hub downloads for the GLUE page (issue 9 item 1, decisions.md "Downloads"), the
 * part that needs no browser: which URLs may be fetched at all, and a ranged download that writes
 * chunk after chunk into a sink (an OPFS temporary file on the page), resumes from what the sink
 * already holds, asks for a broken chunk again, and reports bytes and MB/s.
 *
 * Only https://huggingface.co URLs are built, from an id that matched the strict owner/name
 * pattern and a file of a fixed list; a redirect may only land on the Hub's own CDN hosts
 * (*.huggingface.co, *.hf.co). Never a host taken from a link.
 */
import { HUB_ID } from '../state/schema';
import { fail, GlueInputError } from './errors';

/** The files of a model folder the page downloads (glue.md §1). */
export const MODEL_FILES = [
  'config.json',
  'model.safetensors',
  'tokenizer.json',
  'vocab.json',
  'merges.txt',
] as const;
export type ModelFile = (typeof MODEL_FILES)[number];

const REVISION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `https://huggingface.co/<id>/resolve/<revision>/<file>`, or an error naming what is wrong. */
export function hubFileUrl(id: string, file: ModelFile, revision = 'main'): string {
  if (!HUB_ID.test(id)) fail(id, 'is not a Hugging Face id owner/name');
  if (!(MODEL_FILES as readonly string[]).includes(file)) fail(file, 'is not a model file');
  if (!REVISION.test(revision) || revision.includes('..'))
    fail(revision, 'is not a revision (a branch name or a commit)');
  return `https://huggingface.co/${id}/resolve/${revision}/${file}`;
}

/** Whether a URL (a request or where a redirect ended) is one of the Hub's hosts, over https. */
export function isHubUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.toLowerCase();
  return (
    u.protocol === 'https:' &&
    u.port === '' &&
    u.username === '' &&
    (host === 'huggingface.co' || host.endsWith('.huggingface.co') || host.endsWith('.hf.co'))
  );
}

/** Where downloaded bytes go: an OPFS temporary file on the page, memory in tests. */
export interface ChunkSink {
  /** bytes already written by an earlier, interrupted download (resumed from there) */
  size(): Promise<number>;
  /** appends at `offset` (always the current size) */
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /** the download is complete: rename the temporary file to its final name */
  commit(): Promise<void>;
}

export interface Progress {
  bytes: number;
  total: number;
  /** over this session's bytes (not the resumed ones) */
  mbPerS: number;
}

export interface DownloadOptions {
  url: string;
  sink: ChunkSink;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** bytes per Range request; default 8 MiB */
  chunkBytes?: number;
  /** attempts per chunk after a broken connection; default 3 */
  retries?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  now?: () => number;
}

/** `bytes a-b/total` of a 206 response; null when absent or malformed. */
function contentRange(r: Response): { start: number; total: number } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.headers.get('content-range') ?? '');
  return m ? { start: Number(m[1]), total: Number(m[3]) } : null;
}

/**
 * Downloads `url` into `sink` by HTTP Range requests and commits it; returns its size. A chunk
 * whose connection breaks is asked for again (at most `retries` times in a row); only whole
 * chunks are written, so the sink never holds a torn one. A server that ignores Range for a
 * resumed file is an error, not a corrupt file.
 */
export async function downloadRanged(o: DownloadOptions): Promise<number> {
  if (!isHubUrl(o.url)) fail(o.url, 'is not a Hugging Face Hub URL; nothing was fetched');
  const chunk = o.chunkBytes ?? 8 * 1024 * 1024;
  const retries = o.retries ?? 3;
  const now = o.now ?? (() => performance.now());
  let offset = await o.sink.size();
  const resumedFrom = offset;
  const t0 = now();
  let total = Infinity;
  let failures = 0;
  while (offset < total) {
    const end = Math.min(offset + chunk, total) - 1;
    try {
      const r = await o.fetch(o.url, {
        headers: { Range: `bytes=${offset}-${end}` },
        signal: o.signal,
        redirect: 'follow',
      });
      if (r.url && !isHubUrl(r.url)) fail(o.url, `was redirected off the Hub (${r.url})`);
      if (r.status === 416 && offset > 0 && total === Infinity) break; // already complete
      if (r.status !== 206 && r.status !== 200) fail(o.url, `HTTP ${r.status}`);
      const range = r.status === 206 ? contentRange(r) : null;
      if (r.status === 200 && offset > 0)
        fail(o.url, 'the server ignored the Range request; cannot resume');
      if (r.status === 206 && (!range || range.start !== offset))
        fail(o.url, 'the server answered another byte range');
      const bytes = new Uint8Array(await r.arrayBuffer());
      if (range) total = range.total;
      else total = bytes.length;
      await o.sink.write(offset, bytes);
      offset += bytes.length;
      failures = 0;
      const seconds = Math.max(1e-3, (now() - t0) / 1000);
      o.onProgress?.({
        bytes: offset,
        total,
        mbPerS: (offset - resumedFrom) / 1e6 / seconds,
      });
      if (bytes.length === 0 && offset < total) throw new Error('empty chunk');
    } catch (e) {
      if (o.signal?.aborted || e instanceof GlueInputError) throw e;
      if (++failures > retries)
        fail(o.url, `the download broke ${failures} times at byte ${offset}: ${String(e)}`);
    }
  }
  await o.sink.commit();
  return offset;
}
