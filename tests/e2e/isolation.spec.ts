/**
 * Cross-origin isolation, so tfjs-wasm runs its threaded build: the preview server sends COOP/COEP
 * itself; on a static host that sends no headers (a plain file server here) the service worker
 * adds them and the first visit reloads once. Both pages and the lab's wasm training work
 * isolated (COEP would block anything that is not the app's own). The threaded build also trains
 * where wasmThreads() would not pick it (on 2 cores): the test build's `?threads=N` forces N threads,
 * and its per-step losses are the single-threaded build's; where the threaded build cannot start,
 * the single-threaded one trains.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { test as plain } from '@playwright/test';

const LAB = '#v=1&page=lab&lab.be=wasm&lab.L=1&lab.d=32&lab.steps=6&lab.eval=3';

/**
 * The lab trains on wasm, with threads where the machine has more than 2 cores (wasmThreads: on
 * 2 cores one thread was measured faster, so there the page names no threads).
 */
async function trainsOnThreadedWasm(page: Page) {
  await page.getByTestId('lab-start').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('lab-backend')).toHaveAttribute('data-backend', 'wasm');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores > 2) await expect(page.getByText(/wasm was asked for, on \d threads/)).toBeVisible();
  else await expect(page.getByText('wasm was asked for', { exact: true })).toBeVisible();
}

test('served with COOP/COEP, both pages are isolated and the lab trains on wasm (threaded on more than 2 cores)', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto('./');
  await expect(page.getByTestId('trajectory').first()).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.goto('./' + LAB);
  await expect(page.getByRole('heading', { name: 'Transformer lab' })).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await trainsOnThreadedWasm(page);
});

interface WasmReport {
  backend: string;
  threads: number;
  multithread: boolean;
  sharedHeap: boolean;
  crossOriginIsolated: boolean;
  replaced: string[];
}

/**
 * The lab's race on tfjs-wasm with `threads` threads (the test build's `?threads=N`): what the
 * trainer worker reports of the build it trains on, and every run's per-step losses.
 */
async function raceOnThreads(page: Page, threads: number, query = '') {
  const worker = page.waitForEvent('worker', (w) => /trainer\.worker/.test(w.url()));
  await page.goto(`./?debug=1&threads=${threads}${query}` + LAB);
  await expect(page.getByRole('heading', { name: 'Transformer lab' })).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByTestId('lab-start').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
  const report = (await (
    await worker
  ).evaluate(() =>
    (self as unknown as { __trainerWasm: () => Promise<unknown> }).__trainerWasm(),
  )) as WasmReport;
  const losses = await page.evaluate(() =>
    (globalThis as unknown as { __lab: { steps: { loss: number }[][] } }).__lab.steps.map((run) =>
      run.map((m) => m.loss),
    ),
  );
  return { report, losses };
}

test("forced onto 2 threads (test build), the lab trains on the threaded wasm build with the single-threaded build's losses bit for bit, and falls back to that build when threads cannot start", async ({
  page,
}) => {
  test.setTimeout(120_000);
  // 1 thread asked for explicitly: on more than 2 cores wasmThreads() would pick the threaded build
  const single = await raceOnThreads(page, 1);
  await expect(page.getByText('wasm was asked for', { exact: true })).toBeVisible();
  const threaded = await raceOnThreads(page, 2);
  const kernels = ['Slice', 'SplitV', 'Unpack', 'Transpose', 'Sum'];
  expect(single.report).toEqual({
    backend: 'wasm',
    threads: 1,
    multithread: false,
    sharedHeap: false,
    crossOriginIsolated: true,
    replaced: kernels,
  });
  // the threaded build: XNNPACK's pool has 2 threads and the heap is shared memory, so the
  // project's kernels ran their JavaScript on a SharedArrayBuffer
  expect(threaded.report).toEqual({
    backend: 'wasm',
    threads: 2,
    multithread: true,
    sharedHeap: true,
    crossOriginIsolated: true,
    replaced: kernels,
  });
  await expect(page.getByText('wasm was asked for, on 2 threads', { exact: true })).toBeVisible();
  // Bit for bit: XNNPACK hands each thread tiles of a matmul's outputs, but every output's sum over
  // k runs inside one micro-kernel in the same order whatever the thread count (checked once by
  // hand: a [1024, 1024]·[1024, 300] product and its gradient gave the same bits on 1 and 2
  // threads); tfjs-wasm's other kernels and the project's JavaScript ones run on the calling thread.
  // The default race: 4 runs, 6 steps each.
  expect(single.losses.flat().length).toBe(4 * 6);
  expect(single.losses.flat().every(Number.isFinite)).toBe(true);
  expect(threaded.losses).toEqual(single.losses);

  // Where the threaded build cannot start (here: the worker may not start the pool's workers),
  // pickBackend falls back to the single-threaded build, which gives the same race.
  const fallen = await raceOnThreads(page, 2, '&workers=0');
  expect(fallen.report).toEqual(single.report);
  await expect(page.getByText('wasm was asked for', { exact: true })).toBeVisible();
  expect(fallen.losses).toEqual(single.losses);
});

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain',
};

/** A static file server over dist/ that sends no isolation headers (a plain static host). */
function staticHost(): Promise<{ server: Server; url: string }> {
  const root = join(process.cwd(), 'dist');
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

plain('on a static host without headers the service worker isolates the app', async ({ page }) => {
  plain.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const { server, url } = await staticHost();
  try {
    const response = await page.goto(url);
    expect(response?.headers()['cross-origin-embedder-policy']).toBeUndefined();
    // the first visit installs the worker and reloads once through it
    await expect
      .poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), {
        timeout: 30_000,
      })
      .toBe(true);
    await expect(page.getByTestId('trajectory').first()).toBeVisible();
    await page.goto(url + LAB);
    await expect(page.getByRole('heading', { name: 'Transformer lab' })).toBeVisible();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await trainsOnThreadedWasm(page);
    expect(errors).toEqual([]);
  } finally {
    await page.context().close();
    await new Promise((resolve) => server.close(resolve));
  }
});
