/**
 * The GLUE engine's benchmark (issue 8, item 9): a RoBERTa classifier with random weights at batch
 * 16, sequence length 128 (all rows full length, dropout 0.1), on the wasm backend in Node: median
 * ms per AMSGrad step and per AdaSAM step (paper preset, lr 1e-5, ρ 0.01), their ratio (target
 * ≤ 2.05), and the peak tensor memory of an AdaSAM step (tf.profile's peakBytes, the tf.memory()
 * count; target ≤ 3 GB with the pruned vocabulary). Models: distilroberta-base (6 × 768, 12 heads,
 * FFN 3072) and the small preset (6 × 384, 12 heads, FFN 1536), each with the full 50,265-row
 * vocabulary and pruned to 8,000 rows.
 *
 * Each configuration runs in a child process of its own: a fresh wasm heap (it only grows, at most
 * to 4 GB, so its size at the end is the configuration's high-water mark), and a configuration
 * that exhausts it is reported with the reason instead of ending the bench. Besides wall-clock
 * times, the process's CPU time per step: on a machine shared with other work the wall clock
 * measures the load as much as the step (wasm runs one thread in Node, so unloaded the two agree).
 *
 * Slow (minutes per configuration on 2 cores), so `npm run bench` runs it only with `--glue`;
 * `--glue=small` or `--glue=distilroberta-base` picks one preset.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { recipe } from '../src/lib/optim/config';
import { makeRng } from '../src/lib/math/rng';
import { pickBackend } from '../src/lib/tf/backend';
import { FineTune } from '../src/lib/tf/glue/finetune';
import type { EncodedExample } from '../src/lib/tf/roberta/batch';
import { RobertaModel } from '../src/lib/tf/roberta/model';
import { paramCount, PRESET_SHAPES, robertaShape } from '../src/lib/tf/roberta/shape';
import { pruneVocab, type VocabMap } from '../src/lib/tf/roberta/vocab';
import { median } from './median';

export const GLUE_BATCH = 16;
export const GLUE_LENGTH = 128;
const FULL_VOCAB = 50265;
const PRUNED_ROWS = 8000;
/** tfjs-backend-wasm 4.22's heap limit (emscripten's getHeapMax) */
const WASM_HEAP_MAX = 4294901760;

/** Issue 8, item 9. */
export const GLUE_TARGETS = { ratio: 2.05, prunedPeakBytes: 3e9 } as const;

type Preset = keyof typeof PRESET_SHAPES;

export interface GlueBenchCase {
  preset: Preset;
  vocab: number;
  params: number;
  /** median wall-clock ms per step */
  amsgradMs: number;
  adasamMs: number;
  /** adasamMs / amsgradMs (target ≤ 2.05) */
  ratio: number;
  /** median CPU ms of this process per step */
  amsgradCpuMs: number;
  adasamCpuMs: number;
  /** adasamCpuMs / amsgradCpuMs */
  cpuRatio: number;
  /** peak bytes of tensors during one AdaSAM step (tf.memory's count), weights and optimizer state included */
  adasamPeakBytes: number;
  /** the wasm heap at the end: the most it held at once, fragmentation included (at most 4 GB) */
  heapBytes: number;
  /** the machine's 1-minute load average when the configuration started and ended */
  load: [number, number];
}

export type GlueBenchEntry = GlueBenchCase | { preset: Preset; vocab: number; skipped: string };

/** Random full-length rows over the ids 4 … rows+3 (the specials come on top). */
function randomData(rows: number, seed: number): EncodedExample[] {
  const rng = makeRng(seed);
  return Array.from({ length: GLUE_BATCH }, () => {
    const seq = [0];
    for (let t = 1; t < GLUE_LENGTH - 1; t++) seq.push(4 + rng.int(rows));
    seq.push(2);
    return { ids: seq, label: rng.int(2) };
  });
}

const wasmHeapBytes = (): number =>
  (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;

/** What the configuration was doing (named in the reason when it fails). */
let phase = 'building the model';

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function startWasm(): Promise<void> {
  const choice = await pickBackend('wasm', {
    nodeWasmDir: resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/',
  });
  if (choice.name !== 'wasm')
    throw new Error(`the wasm backend did not start: ${choice.fallbacks.join('; ')}`);
}

/** One configuration, in this process. */
async function timeOne(preset: Preset, vocabRows: number, steps: number): Promise<GlueBenchCase> {
  const loadStart = loadavg()[0];
  const pruned = vocabRows < FULL_VOCAB;
  const data = randomData(PRUNED_ROWS - 5, 1);
  // a task whose data holds 7,995 distinct ids (+ 5 specials): the batch uses some of them
  const taskIds = Array.from({ length: PRUNED_ROWS - 5 }, (_, i) => 4 + i);
  const vocab: VocabMap | null = pruned ? pruneVocab([taskIds], FULL_VOCAB) : null;
  const shape = robertaShape({
    ...PRESET_SHAPES[preset],
    vocab: vocab ? vocab.kept.length : FULL_VOCAB,
  });
  const model = new RobertaModel(shape);
  const settings = (rho: number) => ({
    config: recipe(rho > 0 ? 'adasam' : 'amsgrad', 'paper', { lr: 1e-5, rho }),
    schedule: { kind: 'constant' as const, warmup: 0, steps: steps + 1 },
    batch: GLUE_BATCH,
    microBatch: GLUE_BATCH,
    seed: 1,
    shuffle: false,
  });
  const time = async (rho: number) => {
    const name = rho > 0 ? 'AdaSAM' : 'AMSGrad';
    phase = `the ${name} warm-up step`;
    const x0 = model.init(1);
    const ft = new FineTune(model, x0, data, settings(rho), vocab);
    tf.dispose(Object.values(x0));
    try {
      await ft.step(); // warm-up: kernels, first allocations
      const wall: number[] = [];
      const cpu: number[] = [];
      let peak = 0;
      for (let i = 0; i < steps; i++) {
        phase = `timed ${name} step ${i + 1}`;
        const [t0, c0] = [performance.now(), cpuMs()];
        const info = await tf.profile(async () => {
          await ft.step();
        });
        wall.push(performance.now() - t0);
        cpu.push(cpuMs() - c0);
        peak = Math.max(peak, info.peakBytes);
      }
      return { ms: median(wall), cpu: median(cpu), peak };
    } finally {
      ft.dispose();
    }
  };
  const amsgrad = await time(0);
  const adasam = await time(0.01);
  return {
    preset,
    vocab: shape.vocab,
    params: paramCount(model.params),
    amsgradMs: Math.round(amsgrad.ms),
    adasamMs: Math.round(adasam.ms),
    ratio: Number((adasam.ms / amsgrad.ms).toFixed(3)),
    amsgradCpuMs: Math.round(amsgrad.cpu),
    adasamCpuMs: Math.round(adasam.cpu),
    cpuRatio: Number((adasam.cpu / amsgrad.cpu).toFixed(3)),
    adasamPeakBytes: adasam.peak,
    heapBytes: wasmHeapBytes(),
    load: [Number(loadStart.toFixed(2)), Number(loadavg()[0].toFixed(2))],
  };
}

const CASE_FLAG = '--glue-case';
const RESULT = 'GLUE-CASE ';

/** One configuration in a child process; its figures, or why it has none. */
function runCase(preset: Preset, rows: number, steps: number): Promise<GlueBenchEntry> {
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, CASE_FLAG, `${preset}:${rows}:${steps}`];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (line) return done(JSON.parse(line.slice(RESULT.length)) as GlueBenchEntry);
      const last = err.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
      done({
        preset,
        vocab: rows,
        skipped: `the process ended (${signal ?? `exit status ${code}`}) without figures: ${last}`,
      });
    });
  });
}

export interface GlueBench {
  backend: string;
  batch: number;
  length: number;
  targets: typeof GLUE_TARGETS;
  cases: GlueBenchEntry[];
}

/** Every case of `presets`, each either figures or { skipped: why }. */
export async function benchGlue(
  presets: Preset[] = ['small', 'distilroberta-base'],
  steps = 2,
): Promise<GlueBench> {
  const cases: GlueBenchEntry[] = [];
  for (const preset of presets)
    for (const rows of [PRUNED_ROWS, FULL_VOCAB]) cases.push(await runCase(preset, rows, steps));
  return {
    backend: 'wasm',
    batch: GLUE_BATCH,
    length: GLUE_LENGTH,
    targets: GLUE_TARGETS,
    cases,
  };
}

/** The child: one configuration, printed as one line; a failure (the heap exhausted) as its reason. */
async function caseMain(spec: string): Promise<void> {
  const [preset, rows, steps] = spec.split(':');
  let entry: GlueBenchEntry;
  try {
    await startWasm();
    entry = await timeOne(preset as Preset, Number(rows), Number(steps));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    let heap = '';
    try {
      const bytes = wasmHeapBytes();
      // a failed allocation in a full heap surfaces as an out-of-bounds access, not as a message
      const full = bytes > 0.95 * WASM_HEAP_MAX ? 'the wasm heap is exhausted: ' : '';
      heap = `${full}${(bytes / 1e9).toFixed(2)} GB of at most ${(WASM_HEAP_MAX / 1e9).toFixed(2)} GB`;
    } catch {
      // the backend never started
    }
    entry = {
      preset: preset as Preset,
      vocab: Number(rows),
      skipped: `${why} during ${phase}${heap ? ` (${heap})` : ''}`,
    };
  }
  process.stdout.write(RESULT + JSON.stringify(entry) + '\n');
  process.exit(0);
}

const at = process.argv.indexOf(CASE_FLAG);
if (at > 0 && process.argv[1] === fileURLToPath(import.meta.url))
  void caseMain(process.argv[at + 1]);
