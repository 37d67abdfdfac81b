/**
 * The fused WebGPU optimizer programs (src/lib/tf/fused) on SwiftShader WebGPU: 50 steps of every
 * family member and both presets (the golden problems, and wells for what the goldens lack) and a
 * tiny transformer (10 steps of paper AdaSAM, 2 of every other member and preset), fused vs the
 * op path at the spec's float32 tolerance (with the step's scalars, and steps without
 * intermediates as FineTune takes them, and steps that must not commit), the golden files
 * replayed, and at most P + 4 dispatches outside the gradient passes for P parameter tensors
 * (issue 10), fewer than the op path. One WebGPU context for the whole file (decisions.md): one
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
  results: {
    name: string;
    fusedVsOp: string | null;
    fusedVsGolden: string | null;
    /** the fused run's status */
    status: string;
    /** tensors the fused path's steps left behind after the first */
    leaked: number;
    /** the most dispatches of a fused step outside its gradient passes (2-D and golden cases) */
    dispatches: { outside: number; target: number } | null;
  }[];
  dispatches: { paramTensors: number; op: number; fused: number; target: number };
}

test('fused programs match the op path and the golden files; at most P + 4 dispatches', async ({
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
  if (!process.env.FUSED_ONLY) expect(parity.results.length).toBe(69);
  for (const r of parity.results) {
    expect.soft(r.fusedVsOp, `${r.name}: fused vs op path`).toBeNull();
    expect.soft(r.fusedVsGolden, `${r.name}: fused vs golden`).toBeNull();
    expect.soft(r.leaked, `${r.name}: tensors left by fused steps`).toBe(0);
    if (r.dispatches)
      expect
        .soft(r.dispatches.outside, `${r.name}: dispatches outside the gradient passes`)
        .toBeLessThanOrEqual(r.dispatches.target);
  }
  for (const r of parity.results) {
    const counted = !r.name.startsWith('transformer/') && r.status === 'ok';
    expect.soft(r.dispatches !== null, `${r.name}: dispatches counted`).toBe(counted);
    // the cases made to diverge do (both paths agree: fusedVsOp compares the status)
    expect
      .soft(r.status === 'diverged', `${r.name}: status`)
      .toBe(/diverges|nonfinite/.test(r.name));
  }
  test
    .info()
    .annotations.push({ type: 'dispatches', description: JSON.stringify(parity.dispatches) });
  expect(parity.dispatches.fused).toBeLessThan(parity.dispatches.op);
  // issue 10: at most P + 4 for P parameter tensors
  expect(parity.dispatches.fused).toBeLessThanOrEqual(parity.dispatches.target);
});
