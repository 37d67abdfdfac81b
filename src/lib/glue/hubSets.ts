/**
 * What the GLUE page downloads as one unit: a model (config.json, model.safetensors and a
 * tokenizer, glue.md §1) or a task's data (its training and validation parquet files from
 * nyu-mll/glue, §3), each at one pinned commit; the presets with their sizes, shown before anything
 * is fetched; and which cached files make up a complete set again after a reload.
 */
import {
  downloadRanged,
  glueDataUrl,
  glueParquetPath,
  GLUE_DATASET,
  hubFileUrl,
  type DownloadOptions,
  type Progress,
  type RepoKind,
} from './hub';
import type { CacheEntry, CacheKey, HubCache } from './hubCache';
import { fail } from './errors';
import { TASKS, type TaskName, type TaskSpec } from './tasks';

/** The page's file roles a downloaded file fills (the worker's GlueFiles keys). */
export type HubRole = 'config' | 'weights' | 'tokenizer' | 'vocab' | 'merges' | 'train' | 'dev';

export interface HubFilePlan extends CacheKey {
  role: HubRole;
  url: string;
}

export interface ModelPreset {
  id: string;
  name: string;
  shape: string;
  /** about what the download weighs: weights + tokenizer + config (glue.md §1's table) */
  bytes: number;
}

/** glue.md §1: the presets the page offers by name (sizes from its table, tokenizer ≈ 1.4 MB). */
export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'distilbert/distilroberta-base',
    name: 'distilroberta-base',
    shape: '6 × 768, 82 M parameters, F32',
    bytes: 331e6 + 1.4e6,
  },
  {
    id: 'nreimers/MiniLMv2-L6-H384-distilled-from-RoBERTa-Large',
    name: 'MiniLMv2 (small)',
    shape: '6 × 384, 30 M parameters, F16',
    bytes: 30.1e6 * 2 + 1.4e6,
  },
];

/**
 * About what a task's training + validation parquet files weigh on the Hub (nyu-mll/glue, as its
 * file listing showed them; an estimate: the real size shows as soon as the Hub answers).
 */
export const GLUE_DATA_BYTES: Readonly<Record<TaskName, number>> = {
  CoLA: 0.29e6,
  'SST-2': 3.2e6,
  MRPC: 0.72e6,
  'STS-B': 0.65e6,
  QQP: 37.3e6,
  MNLI: 53.4e6,
  QNLI: 18.4e6,
  RTE: 0.65e6,
};

/** The split scored as dev: validation, or MNLI's matched one (decisions.md: MNLI matched). */
export const devSplit = (task: TaskSpec): string =>
  task.splits.includes('validation') ? 'validation' : 'validation_matched';

const MODEL_ROLE: Record<string, HubRole> = {
  'config.json': 'config',
  'model.safetensors': 'weights',
  'tokenizer.json': 'tokenizer',
  'vocab.json': 'vocab',
  'merges.txt': 'merges',
};

/** The role of a cached file (null for a file the page does not use). */
export function roleOfCached(key: CacheKey): HubRole | null {
  if (key.kind === 'model') return MODEL_ROLE[key.path] ?? null;
  if (key.repo !== GLUE_DATASET) return null;
  return key.path.split('/')[1]?.startsWith('train-') ? 'train' : 'dev';
}

/**
 * The files of model `id` at commit `sha`, given the repository's file names: config.json,
 * model.safetensors, and tokenizer.json (or vocab.json + merges.txt). A repository without them is
 * named with what is missing before anything large is fetched.
 */
export function modelPlan(id: string, sha: string, files: readonly string[]): HubFilePlan[] {
  const has = (f: string) => files.includes(f);
  const missing = ['config.json', 'model.safetensors'].filter((f) => !has(f));
  if (missing.length)
    fail(id, `has no ${missing.join(' or ')} on the Hub; choose the model's files from disk`);
  const tokenizer = has('tokenizer.json')
    ? ['tokenizer.json']
    : has('vocab.json') && has('merges.txt')
      ? ['vocab.json', 'merges.txt']
      : fail(id, 'has no tokenizer.json (nor vocab.json + merges.txt) on the Hub');
  return ['config.json', ...tokenizer, 'model.safetensors'].map((path) => ({
    kind: 'model',
    repo: id,
    revision: sha,
    path,
    role: MODEL_ROLE[path],
    url: hubFileUrl(id, path as 'config.json', sha),
  }));
}

/** A task's training and dev parquet files at commit `sha` of nyu-mll/glue. */
export function dataPlan(task: TaskSpec, sha: string): HubFilePlan[] {
  return (['train', devSplit(task)] as const).map((split, i) => ({
    kind: 'dataset',
    repo: GLUE_DATASET,
    revision: sha,
    path: glueParquetPath(task, split),
    role: i === 0 ? 'train' : 'dev',
    url: glueDataUrl(task, split, sha),
  }));
}

export interface CachedSet {
  revision: string;
  files: Partial<Record<HubRole, CacheEntry>>;
  bytes: number;
}

/**
 * The newest complete set of cached files for a repository (at `revision` when the link pins
 * one): the roles `need` all present at one commit, with at least one of the `either` groups.
 */
function completeSet(
  entries: readonly CacheEntry[],
  kind: RepoKind,
  repo: string,
  paths: (p: string) => boolean,
  ok: (roles: Set<HubRole>) => boolean,
  revision: string,
): CachedSet | null {
  const byRevision = new Map<string, CacheEntry[]>();
  for (const e of entries)
    if (e.complete && e.kind === kind && e.repo === repo && paths(e.path))
      if (!revision || e.revision === revision)
        byRevision.set(e.revision, [...(byRevision.get(e.revision) ?? []), e]);
  const sets: (CachedSet & { modified: number })[] = [];
  for (const [rev, list] of byRevision) {
    const files: Partial<Record<HubRole, CacheEntry>> = {};
    for (const e of list) files[roleOfCached(e)!] = e;
    if (!ok(new Set(Object.keys(files) as HubRole[]))) continue;
    if (files.tokenizer) {
      delete files.vocab;
      delete files.merges;
    }
    const chosen = Object.values(files);
    sets.push({
      revision: rev,
      files,
      bytes: chosen.reduce((s, e) => s + e.size, 0),
      modified: Math.max(...chosen.map((e) => e.modified)),
    });
  }
  sets.sort((a, b) => b.modified - a.modified);
  if (!sets[0]) return null;
  const { modified: _m, ...best } = sets[0];
  return best;
}

/** The newest complete cached model `id` (at `revision` when not empty). */
export const cachedModel = (entries: readonly CacheEntry[], id: string, revision = '') =>
  completeSet(
    entries,
    'model',
    id,
    (p) => p in MODEL_ROLE,
    (r) =>
      r.has('config') &&
      r.has('weights') &&
      (r.has('tokenizer') || (r.has('vocab') && r.has('merges'))),
    revision,
  );

/** The newest complete cached data of `task` (at `revision` when not empty). */
export function cachedData(entries: readonly CacheEntry[], task: TaskName, revision = '') {
  const spec = TASKS[task];
  const wanted = new Set(dataPlan(spec, '0'.repeat(40)).map((p) => p.path));
  return completeSet(
    entries,
    'dataset',
    GLUE_DATASET,
    (p) => wanted.has(p),
    (r) => r.has('train') && r.has('dev'),
    revision,
  );
}

export interface PlanProgress extends Progress {
  /** the file being fetched, its place among the set's files */
  path: string;
  index: number;
  count: number;
}

/**
 * Downloads every file of a plan that is not cached yet, one after the other, each into its
 * `part` file and renamed when complete. Whatever stops it (cancel, a connection broken too
 * often, a closed tab) leaves the chunks already written for the next try to resume from.
 */
export async function downloadPlan(
  plans: readonly HubFilePlan[],
  cache: HubCache,
  o: Pick<DownloadOptions, 'fetch' | 'chunkBytes' | 'signal' | 'retries' | 'now'> & {
    onProgress?: (p: PlanProgress) => void;
  },
): Promise<void> {
  for (const [index, plan] of plans.entries()) {
    if (await cache.has(plan)) continue;
    const sink = await cache.sink(plan);
    const at = { path: plan.path, index, count: plans.length };
    try {
      await downloadRanged({
        ...o,
        url: plan.url,
        sink,
        onProgress: (p) => o.onProgress?.({ ...p, ...at }),
      });
    } finally {
      await sink.save();
    }
  }
}
