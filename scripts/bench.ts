/**
 * `npm run bench [-- --json] [-- --browser] [-- --torch] [-- --glue[=preset]]`: speed figures as
 * medians over repeated runs (--torch: WASM in Chromium side by side with PyTorch on the CPU,
 * scripts/benchTorch.ts; --glue: the GLUE engine's RoBERTa steps, scripts/benchGlue.ts; slow).
 * Targets live here, not in timed tests (see README). Each section is independent, so a
 * missing optional part (a browser for --browser) skips only that section, saying why.
 */
import { performance } from 'node:perf_hooks';
import { FAMILY_NAMES, recipe } from '../src/lib/optim/config';
import { runVec } from '../src/lib/optim/run';
import { makeObjective } from '../src/lib/landscapes/stochastic';
import { wells } from '../src/lib/landscapes/wells';
import type * as TF from '@tensorflow/tfjs';
import type { LossFn } from '../src/lib/tf/optimizer';
import type { BenchReport, Skipped, TransformerFigure } from './benchReport';
import { median } from './median';

const json = process.argv.includes('--json');
const browser = process.argv.includes('--browser');
const torch = process.argv.includes('--torch');
// --glue runs every GLUE preset; --glue=small or --glue=distilroberta-base one of them (minutes each)
const glueArg = process.argv.find((a) => a === '--glue' || a.startsWith('--glue='));

const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

/** 8 optimizers × 1000 steps on wells: the work a slider drag asks for in one frame. */
function benchCore() {
  const configs = FAMILY_NAMES.slice(0, 8).map((name) => recipe(name, 'paper', { lr: 0.05 }));
  const objective = makeObjective(wells, null); // the page's path: f and ∇f share their exponentials
  const race = () => configs.forEach((c) => runVec(c, wells.x0, 1000, objective));
  for (let i = 0; i < 30; i++) race(); // warm-up: let V8 optimise the hot loop
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    race();
    times.push(performance.now() - t0);
  }
  return { optimizers: configs.length, steps: 1000, medianMs: round(median(times)), targetMs: 2 };
}

/**
 * One AdaSAM step of the spec's 13-parameter MLP (§8.3) on the tfjs cpu backend. TF.js is loaded
 * only here, after the core figure, as on the 2-D page, which never loads it: with TF.js loaded
 * first, the plain-JS core measured about a third slower in the same process (cause not pinned down).
 */
async function benchMlp() {
  const tf = await import('@tensorflow/tfjs');
  const { TensorOptimizer } = await import('../src/lib/tf/optimizer');
  const { mlpGolden } = await import('./benchData');
  await tf.setBackend('cpu');
  const { x0, X, y, batches } = mlpGolden();
  const opt = new TensorOptimizer(recipe('adasam', 'paper', { lr: 0.05, rho: 0.05 }), x0);
  const Xt = batches.map((b) => tf.tensor2d(b.map((i) => X[i])));
  const yt = batches.map((b) => tf.tensor2d(b.map((i) => [y[i]])));
  const lossAt =
    (t: number): LossFn =>
    (p) =>
      tf.losses.meanSquaredError(
        yt[t % yt.length],
        tf.add(
          tf.matMul(
            tf.tanh(tf.add(tf.matMul(Xt[t % Xt.length], p.K1 as TF.Tensor2D), p.b1)),
            p.K2 as TF.Tensor2D,
          ),
          p.b2,
        ),
      ) as TF.Scalar;
  const times: number[] = [];
  for (let t = 0; t < 300; t++) {
    const t0 = performance.now();
    const info = await opt.step(lossAt(t));
    info?.release();
    if (t >= 50) times.push(performance.now() - t0);
  }
  opt.dispose();
  tf.dispose([...Xt, ...yt]);
  return { backend: 'cpu', params: 13, medianMsPerStep: round(median(times)) };
}

/**
 * Builds the test build (the production build plus the measurement hooks, in dist-test/) and
 * serves it with `vite preview` on a free port for the browser figures.
 */
async function withPreviewServer<T>(run: (baseURL: string) => Promise<T>): Promise<T> {
  const { build, preview } = await import('vite');
  const testBuild = { mode: 'test', build: { outDir: 'dist-test' }, logLevel: 'error' } as const;
  await build(testBuild);
  const server = await preview({
    ...testBuild,
    preview: { port: 4179, strictPort: false, host: '127.0.0.1' },
  });
  try {
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview reported no URL');
    return await run(url);
  } finally {
    await server.close();
  }
}

/** Node's transformer figures: cpu, and wasm (SIMD, one thread: the fastest tfjs backend in Node). */
async function benchTransformerNode(): Promise<Record<'cpu' | 'wasm', TransformerFigure>> {
  const { transformerFigure } = await import('./benchTransformer');
  const { resolve } = await import('node:path');
  const nodeWasmDir = resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/';
  const cpuClock = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  return {
    cpu: await transformerFigure('cpu', { cpuClock }),
    wasm: await transformerFigure('wasm', { pick: { nodeWasmDir }, cpuClock }),
  };
}

/** A section's figures, or why there are none: one failing section never stops the others. */
async function section<T>(run: () => Promise<T>): Promise<T | Skipped> {
  try {
    return await run();
  } catch (e) {
    return { skipped: e instanceof Error ? e.message : String(e) };
  }
}

async function main() {
  const results: BenchReport = {
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
    core: benchCore(),
    mlp: await benchMlp(),
    basin: await section(async () => (await import('./benchBasin')).benchBasin()),
    transformer: await section(benchTransformerNode),
  };
  if (browser) {
    results.explainer = await section(() =>
      withPreviewServer((baseURL) =>
        import('./benchExplainer').then((m) => m.benchExplainer({ baseURL })),
      ),
    );
    results.transformerBrowser = await section(async () =>
      (await import('./benchBrowser')).benchTransformerBrowser(),
    );
    results.webgpuDispatches = await section(async () =>
      (await import('./benchBrowser')).benchWebgpuDispatches(),
    );
  }
  if (torch)
    results.torchSideBySide = await section(async () =>
      (await import('./benchTorch')).benchTorch(),
    );
  if (glueArg) {
    const only = glueArg.split('=')[1] as 'small' | 'distilroberta-base' | undefined;
    results.glue = await section(async () =>
      (await import('./benchGlue')).benchGlue(only ? [only] : undefined),
    );
  }
  if (json) {
    process.stdout.write(JSON.stringify(results) + '\n');
    return;
  }
  for (const [key, value] of Object.entries(results))
    process.stdout.write(`${key.padEnd(12)} ${JSON.stringify(value)}\n`);
}

main();
