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
import { HUB_COMMIT, HUB_ID } from '../state/schema';
import { fail, GlueInputError } from './errors';
import type { TaskSpec } from './tasks';

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
/** A resolved revision: the full commit hash the Hub answers (what links pin, decisions.md). */
export const COMMIT = HUB_COMMIT;
/** The Hub dataset of the GLUE parquet files (glue.md §3). */
export const GLUE_DATASET = 'nyu-mll/glue';

export type RepoKind = 'model' | 'dataset';

function checkId(id: string): void {
  if (!HUB_ID.test(id)) fail(id, 'is not a Hugging Face id owner/name');
}
function checkRevision(revision: string): void {
  if (!REVISION.test(revision) || revision.includes('..'))
    fail(revision, 'is not a revision (a branch name or a commit)');
}

/** `https://huggingface.co/<id>/resolve/<revision>/<file>`, or an error naming what is wrong. */
export function hubFileUrl(id: string, file: ModelFile, revision = 'main'): string {
  checkId(id);
  if (!(MODEL_FILES as readonly string[]).includes(file)) fail(file, 'is not a model file');
  checkRevision(revision);
  return `https://huggingface.co/${id}/resolve/${revision}/${file}`;
}

/** The path of a split's parquet file inside the GLUE dataset (glue.md §3). */
export function glueParquetPath(task: TaskSpec, split: string): string {
  if (!task.splits.includes(split)) fail(split, `is not a split of ${task.name}`);
  return `${task.hfConfig}/${split}-00000-of-00001.parquet`;
}

/** `https://huggingface.co/datasets/nyu-mll/glue/resolve/<revision>/<config>/<split>-….parquet`. */
export function glueDataUrl(task: TaskSpec, split: string, revision = 'main'): string {
  const path = glueParquetPath(task, split);
  checkRevision(revision);
  return `https://huggingface.co/datasets/${GLUE_DATASET}/resolve/${revision}/${path}`;
}

/** The Hub API's answer about one revision of a repository: its commit and file names. */
export function hubRevisionUrl(kind: RepoKind, id: string, revision = 'main'): string {
  checkId(id);
  checkRevision(revision);
  return `https://huggingface.co/api/${kind}s/${id}/revision/${revision}`;
}

export interface Resolved {
  /** the commit the revision names now */
  sha: string;
  /** every file of the repository at that commit */
  files: string[];
}

/**
 * Asks the Hub which commit `revision` of a repository is and which files it holds, so that every
 * file is then fetched from that one commit (and the link can pin it). A 401/404 means the id
 * does not exist (or is private): said so in words.
 */
export async function resolveRevision(
  kind: RepoKind,
  id: string,
  revision: string,
  fetchFn: (url: string, init: RequestInit) => Promise<Response>,
  signal?: AbortSignal,
): Promise<Resolved> {
  const url = hubRevisionUrl(kind, id, revision);
  const r = await fetchFn(url, { signal, headers: { Accept: 'application/json' } });
  if (r.status === 401 || r.status === 404)
    fail(id, `no public ${kind} of that id (or revision ${revision}) on the Hub`);
  if (!r.ok) fail(id, `the Hub answered HTTP ${r.status}`);
  let body: unknown;
  try {
    body = await r.json();
  } catch {
    fail(id, 'the Hub answered something that is not JSON');
  }
  const b = body as { sha?: unknown; siblings?: { rfilename?: unknown }[] };
  if (typeof b.sha !== 'string' || !COMMIT.test(b.sha))
    fail(id, 'the Hub named no commit for this revision');
  const files = Array.isArray(b.siblings)
    ? b.siblings.map((s) => s.rfilename).filter((f): f is string => typeof f === 'string')
    : [];
  return { sha: b.sha, files };
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
    o.signal?.throwIfAborted();
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
