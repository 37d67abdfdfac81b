/**
 * The fused WebGPU optimizer programs (src/lib/tf/fused) on SwiftShader WebGPU: 50 steps of every
 * family member and both presets (the golden problems, and wells for what the goldens lack) and a
 * tiny transformer (10 steps of paper AdaSAM, 2 of every other member and preset), fused vs the
 * op path at the spec's float32 tolerance, the golden files replayed, and fewer dispatches outside
 * the gradient passes than the op path. One WebGPU context for the whole file (decisions.md): one
 * page, one evaluate. The page is served by a Vite dev server started here, so nothing of it
 * enters the app's build.
 */
import { test, expect } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';

let server: ViteDevServer;
let base = '';

test.beforeAll(async () => {
  server = await createServer({
    logLevel: 'error',
    server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4173) + 1, strictPort: false },
    // found up front, so the dev server never reloads the page mid-run to add a dependency
    optimizeDeps: { include: ['@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'] },
  });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});

test.afterAll(async () => {
  await server?.close();
});

interface Parity {
  error?: string;
  results: { name: string; fusedVsOp: string | null; fusedVsGolden: string | null }[];
  dispatches: { paramTensors: number; op: number; fused: number; target: number };
}

test('fused programs match the op path and the golden files; fewer dispatches', async ({
  page,
}) => {
  test.setTimeout(900_000);
  await page.goto(`${base}tests/e2e/pages/fused.html`);
  await expect(page.locator('#out')).toHaveText('ready', { timeout: 60_000 });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning' || m.text().startsWith('case '))
      console.log(m.text().slice(0, 600));
  });
  const parity = (await page.evaluate(
    (o) =>
      (
        window as unknown as {
          __fusedParity: (o: { transformerSteps: number; only: string }) => unknown;
        }
      ).__fusedParity(o),
    {
      transformerSteps: Number(process.env.FUSED_TRANSFORMER_STEPS ?? 10),
      only: process.env.FUSED_ONLY ?? '',
    },
  )) as Parity;
  expect(parity.error).toBeUndefined();
  if (!process.env.FUSED_ONLY) expect(parity.results.length).toBe(62);
  for (const r of parity.results) {
    expect.soft(r.fusedVsOp, `${r.name}: fused vs op path`).toBeNull();
    expect.soft(r.fusedVsGolden, `${r.name}: fused vs golden`).toBeNull();
  }
  test
    .info()
    .annotations.push({ type: 'dispatches', description: JSON.stringify(parity.dispatches) });
  expect(parity.dispatches.fused).toBeLessThan(parity.dispatches.op);
});
