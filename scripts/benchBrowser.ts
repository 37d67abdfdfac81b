/**
 * The transformer benchmark on every tfjs backend in headless Chromium (Debian's, as the browser
 * tests use): a Vite dev server (with the app's cross-origin isolation headers, so WASM may use
 * threads) serves scripts/bench-transformer.html. Each backend gets its own browser, started
 * after the previous one closed, and its own time budget: the work starts only after the page
 * has loaded, and a backend that runs past its budget is reported as `{ status: 'timeout' }`.
 * Headless Chromium here renders in software (SwiftShader): these figures compare backends on
 * this machine, they are not GPU speeds.
 */
import { chromium, type Browser } from 'playwright-core';
import { createServer } from 'vite';
import type { DispatchCount, TransformerFigure } from './benchReport';
import type { LabStepBench } from './benchLabStep';
import { BENCH_BATCH, BENCH_MODEL } from './benchTransformer';

const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;
type Backend = (typeof BACKENDS)[number];

/**
 * Seconds each backend may take for `steps + warmup` rounds of four step kinds. From the
 * 2026-11 figures on the 2-core machine: one round takes about 6 s on cpu, 1 s on wasm, 2.5 s on
 * software WebGL and 17 s on SwiftShader WebGPU (plus 10–12 s of shader compilation); the budgets
 * allow ten times that, for a machine shared with other work.
 */
export const BUDGET_S_PER_ROUND: Record<Backend, number> = {
  cpu: 25,
  wasm: 5,
  webgl: 10,
  webgpu: 70,
};
const LOAD_BUDGET_S = 60;

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-sandbox',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Resolves to `onTimeout()` when `work` has not settled within `ms`. */
async function within<T>(ms: number, work: Promise<T>, onTimeout: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOne(
  base: string,
  backend: Backend,
  steps: number,
  warmup: number,
  query = '',
): Promise<TransformerFigure> {
  const budgetS = LOAD_BUDGET_S + BUDGET_S_PER_ROUND[backend] * (steps + warmup);
  const browser = await launchChromium();
  try {
    const work = (async (): Promise<TransformerFigure> => {
      const page = await browser.newPage();
      await page.goto(
        `${base}scripts/bench-transformer.html?backend=${backend}&steps=${steps}&warmup=${warmup}${query}`,
        { timeout: LOAD_BUDGET_S * 1000 },
      );
      const handle = await page.waitForFunction(
        () => (window as unknown as { __benchResult?: unknown }).__benchResult,
        null,
        { timeout: 0, polling: 1000 },
      );
      return (await handle.jsonValue()) as TransformerFigure;
    })().catch((e: unknown): TransformerFigure => ({
      status: 'error',
      backend,
      message: e instanceof Error ? e.message : String(e),
    }));
    // the page's own timers cannot be trusted while it computes, so the budget is kept here
    return await within<TransformerFigure>(budgetS * 1000, work, () => ({
      status: 'timeout',
      backend,
      budgetS,
    }));
  } finally {
    await browser.close();
  }
}

/** A Vite dev server (the app's config: isolation headers) for the bench pages, from `port` up. */
async function withDevServer<T>(work: (base: string) => Promise<T>, port = 4181): Promise<T> {
  const server = await createServer({
    logLevel: 'error',
    server: { host: '127.0.0.1', port, strictPort: false },
    // found up front, so the dev server never reloads a page mid-run to add a dependency
    optimizeDeps: {
      include: ['@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
    },
  });
  await server.listen();
  try {
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new Error('the Vite dev server reported no URL');
    return await work(base);
  } finally {
    await server.close();
  }
}

/**
 * Every backend as the lab would start it (`wasm`: wasmThreads()'s choice of threads), and
 * `wasm2Threads`: WASM forced to the threaded build with 2 threads, so the thread rule can be
 * checked on the machine at hand.
 */
export async function benchTransformerBrowser(
  opts: { steps?: number; warmup?: number; backends?: readonly Backend[] } = {},
): Promise<Partial<Record<Backend | 'wasm2Threads', TransformerFigure>>> {
  const steps = opts.steps ?? 5;
  const warmup = opts.warmup ?? 1;
  return withDevServer(async (base) => {
    const results: Partial<Record<Backend | 'wasm2Threads', TransformerFigure>> = {};
    for (const backend of opts.backends ?? BACKENDS) {
      results[backend] = await runOne(base, backend, steps, warmup);
      if (backend === 'wasm')
        results.wasm2Threads = await runOne(base, backend, steps, warmup, '&threads=2');
    }
    return results;
  });
}

/** WASM as the lab starts it, alone (scripts/benchTorch.ts alternates it with PyTorch). */
export function benchWasmBrowser(steps: number, warmup: number): Promise<TransformerFigure> {
  return withDevServer((base) => runOne(base, 'wasm', steps, warmup));
}

/**
 * A lab race step split as Race.stepRun runs it (scripts/benchLabStep.ts) on WASM as the lab
 * starts it, in headless Chromium: `npx tsx -e "import('./scripts/benchBrowser.ts').then(async m
 * => console.log(await m.benchLabStepBrowser()))"`.
 */
export function benchLabStepBrowser(
  opts: { steps?: number; warmup?: number; port?: number } = {},
): Promise<LabStepBench> {
  const steps = opts.steps ?? 10;
  const warmup = opts.warmup ?? 3;
  const budgetS = LOAD_BUDGET_S + BUDGET_S_PER_ROUND.wasm * (steps + warmup);
  return withDevServer(async (base) => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${base}scripts/bench-lab-step.html?steps=${steps}&warmup=${warmup}`, {
        timeout: LOAD_BUDGET_S * 1000,
      });
      const handle = await page.waitForFunction(
        () => (window as unknown as { __benchResult?: unknown }).__benchResult,
        null,
        { timeout: budgetS * 1000, polling: 1000 },
      );
      const result = (await handle.jsonValue()) as LabStepBench | { error: string };
      if ('error' in result) throw new Error(result.error);
      return result;
    } finally {
      await browser.close();
    }
  }, opts.port);
}

/**
 * GPU dispatches of one AdaSAM step of the benchmark model outside its two gradient passes, op
 * path and fused programs, on SwiftShader WebGPU (tests/e2e/pages/fused.html counts them).
 */
export async function benchWebgpuDispatches(): Promise<DispatchCount> {
  return withDevServer(async (base) => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${base}tests/e2e/pages/fused.html`, { timeout: LOAD_BUDGET_S * 1000 });
      await page
        .locator('#out')
        .getByText('ready')
        .waitFor({ timeout: LOAD_BUDGET_S * 1000 });
      const count = page.evaluate(
        ([m, batch]) =>
          (
            window as unknown as {
              __fusedDispatches: (m: unknown, b: number) => Promise<DispatchCount>;
            }
          ).__fusedDispatches(m, batch),
        [BENCH_MODEL, BENCH_BATCH] as const,
      );
      return await within(600_000, count, () => {
        throw new Error('no dispatch count within 600 s');
      });
    } finally {
      await browser.close();
    }
  });
}
