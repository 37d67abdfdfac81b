/**
 * The shape of `npm run bench -- --json`, defined once. Keys are stable: a figure that changes
 * meaning gets a new key, and other work adds keys beside these (README, "Benchmarks", documents
 * each one; scripts/benchReport.test.ts checks that it does).
 */
import type { BasinBench } from './benchBasin';
import type { ExplainerBench } from './benchExplainer';
import type { GlueBench } from './benchGlue';
import type { BenchResult } from './benchTransformer';
import type { TorchSideBySide } from './benchTorch';

/** Why a section has no figures (a missing browser, a failed build): the run goes on without it. */
export interface Skipped {
  skipped: string;
}

/** One backend's transformer figures: measured, ran past its budget, or failed. */
export type TransformerFigure =
  | ({ status: 'ok' } & BenchResult)
  | { status: 'timeout'; backend: string; budgetS: number }
  | { status: 'error'; backend: string; message: string };

/** GPU dispatches of one AdaSAM step outside the two gradient passes (WebGPU, headless Chromium). */
export interface DispatchCount {
  /** parameter tensors of the model the count was taken on */
  paramTensors: number;
  /** the reference op path (tensorSpace ops) */
  op: number;
  /** the fused programs (src/lib/tf/fused) */
  fused: number;
  /** paramTensors + 4 (issue 10) */
  target: number;
}

export interface BenchReport {
  machine: string;
  core: { optimizers: number; steps: number; medianMs: number; targetMs: number };
  mlp: { backend: string; params: number; medianMsPerStep: number };
  basin: BasinBench | Skipped;
  /** Node: the benchmark transformer on tfjs cpu and wasm */
  transformer: Record<'cpu' | 'wasm', TransformerFigure> | Skipped;
  /** --browser: redraws while a slider is dragged, slider change → painted frame, basin map */
  explainer?: ExplainerBench | Skipped;
  /** --browser: the benchmark transformer on every backend in headless Chromium */
  transformerBrowser?: Record<string, TransformerFigure> | Skipped;
  /** --glue: RoBERTa fine-tuning steps (AMSGrad, AdaSAM) on wasm in Node, per preset and vocabulary */
  glue?: GlueBench | Skipped;
  /** --browser: dispatches of an AdaSAM step of the benchmark model on WebGPU */
  webgpuDispatches?: DispatchCount | Skipped;
  /** --torch: WASM in headless Chromium and PyTorch on the CPU, alternating rounds */
  torchSideBySide?: TorchSideBySide | Skipped;
}

/** Every top-level key, with the README's one-line meaning (the README lists the same keys). */
export const REPORT_KEYS: Record<keyof BenchReport, string> = {
  machine: 'platform, architecture and Node version',
  core: 'float64 core, 8 optimizers × 1000 steps on wells',
  mlp: 'one AdaSAM step of the 13-parameter MLP, tfjs cpu',
  basin: 'basin map, 128×128 starts × 200 steps, one thread',
  transformer: 'benchmark transformer in Node, per backend (cpu, wasm)',
  explainer: 'drag redraws, slider → frame and basin map in headless Chromium',
  transformerBrowser: 'benchmark transformer in headless Chromium, per backend',
  glue: 'RoBERTa fine-tuning steps on wasm, batch 16 × 128 tokens (--glue only)',
  webgpuDispatches: 'GPU dispatches of an AdaSAM step outside the gradient passes',
  torchSideBySide: 'AdaSAM step on WASM in Chromium beside PyTorch CPU, 2 and 1 threads',
};
