/**
 * The transformer lab in headless Chromium: a race starts, shows losses, pauses and resumes; a few
 * steps on every backend that works here (cpu, wasm, webgl, and webgpu on SwiftShader via
 * --enable-unsafe-webgpu) give the cpu backend's losses within float32 tolerance; a huge
 * learning rate is reported as a divergence; screenshots of the page while training are written
 * to test-results/ to be looked at.
 *
 * Numbers are read through `window.__lab` (the page's LabState, exposed only with `?debug=1`).
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** A model small enough that every backend trains a few steps in seconds. */
const SMALL = 'lab.p=11&lab.L=1&lab.d=32&lab.h=2&lab.mlp=32&lab.b=16';

interface LabDebug {
  status: string;
  step: number;
  backend: { name: string } | null;
  error: { phase: string; message: string } | null;
  steps: { step: number; loss: number }[][];
  diverged: { run: number; step: number; message: string }[];
}

async function labOf(page: Page): Promise<LabDebug> {
  await page.waitForFunction(() => (globalThis as { __lab?: unknown }).__lab !== undefined);
  return readLab(page);
}

const readLab = (page: Page) =>
  page.evaluate(
    () =>
      JSON.parse(
        JSON.stringify((globalThis as unknown as { __lab: LabDebug }).__lab, [
          'status',
          'step',
          'backend',
          'name',
          'error',
          'phase',
          'message',
          'steps',
          'loss',
          'diverged',
          'run',
        ]),
      ) as LabDebug,
  );

async function open(page: Page, hash: string, tag = '') {
  await page.goto(`./?debug=1${tag}#v=1&page=lab&${hash}`);
  await expect(page.getByRole('heading', { name: 'Transformer lab' })).toBeVisible({
    timeout: 30_000,
  });
}

async function stepOf(page: Page): Promise<number> {
  return (await labOf(page)).step;
}

test('a race starts, shows losses, pauses, resumes and stops (cpu)', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, `lab.be=cpu&${SMALL}&lab.steps=2000&lab.eval=10`);
  await expect(page.getByTestId('lab-backend')).toHaveAttribute('data-backend', 'cpu', {
    timeout: 30_000,
  });
  await page.getByTestId('lab-start').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'running', {
    timeout: 30_000,
  });
  // Every run of the race shows a finite loss.
  const losses = page.getByTestId('lab-latest-loss');
  await expect(losses).toHaveCount(4);
  for (let i = 0; i < 4; i++)
    await expect(losses.nth(i)).toHaveText(/^\d+(\.\d+)?(e[+-]?\d+)?$/, { timeout: 20_000 });
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(15);
  await page.screenshot({ path: 'test-results/lab-training-cpu.png', fullPage: true });

  await page.getByTestId('lab-pause').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'paused');
  const paused = await stepOf(page);
  await page.waitForTimeout(800);
  expect(await stepOf(page)).toBe(paused);

  // While paused: λ_max and a small slice are served.
  await page.getByTestId('lab-hessian').click();
  await expect(page.getByTestId('lab-hessian-row').first()).toContainText(/iterations/, {
    timeout: 30_000,
  });
  await page.getByLabel('grid').fill('9');
  await page.getByTestId('lab-slice').click();
  await expect(page.getByTestId('lab-slice-view')).toBeVisible({ timeout: 30_000 });

  await page.getByTestId('lab-resume').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'running');
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(paused);
  await page.getByTestId('lab-stop').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'stopped');
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/lab-paused-cpu.png', fullPage: true });
});

test('every backend that works here agrees with the cpu backend within float32 tolerance', async ({
  page,
}) => {
  // Software WebGL and WebGPU compile every shader on first use: minutes on a busy 2-core machine.
  test.setTimeout(420_000);
  const STEPS = 3;
  const race = `${SMALL}&lab.steps=${STEPS}&lab.eval=${STEPS}&lab.r0=adasam&lab.r0.preset=torch&lab.r1=sgd&lab.r1.lr=0.1`;
  const results: Record<string, number[][]> = {};
  for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu']) {
    await open(page, `lab.be=${backend}&${race}`, `&backend=${backend}`);
    await page.getByTestId('lab-start').click();
    // WebGPU on SwiftShader compiles its shaders on first use (10–40 s).
    await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
      timeout: backend === 'webgpu' || backend === 'webgl' ? 120_000 : 60_000,
    });
    const lab = await labOf(page);
    expect(lab.error, `${backend}: ${lab.error?.message}`).toBeNull();
    if (lab.backend?.name !== backend) {
      test.info().annotations.push({
        type: 'skipped backend',
        description: `${backend} did not start here; ran on ${lab.backend?.name}`,
      });
      continue;
    }
    results[backend] = lab.steps.map((run) => run.map((m) => m.loss));
    // Soft: every backend is still compared when one of them fails.
    expect.soft(lab.diverged, `${backend}: runs diverged where cpu's do not`).toEqual([]);
    expect
      .soft(
        results[backend].map((run) => run.length),
        backend,
      )
      .toEqual(results[backend].map(() => STEPS));
  }
  const cpu = results.cpu;
  expect(cpu).toBeDefined();
  // Chromium here has all four (WebGPU on SwiftShader with --enable-unsafe-webgpu); a backend may
  // only be missing where the browser has no adapter for it.
  const hasWebGPU = await page.evaluate(
    async () =>
      !!(await (
        navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }
      ).gpu?.requestAdapter()),
  );
  expect(Object.keys(results).sort(), 'backends that ran').toEqual(
    hasWebGPU ? ['cpu', 'wasm', 'webgl', 'webgpu'] : ['cpu', 'wasm', 'webgl'],
  );
  for (const [backend, runs] of Object.entries(results)) {
    runs.forEach((losses, run) =>
      losses.forEach((loss, k) => {
        // The first loss is at identical weights: only summation order differs. Later ones carry
        // each backend's float32 rounding through the updates: the spec's float32 tolerance (§9.4).
        const tol =
          k === 0 ? 1e-5 * Math.max(1, Math.abs(cpu[run][k])) : 1e-4 + 1e-3 * Math.abs(cpu[run][k]);
        expect
          .soft(
            Math.abs(loss - cpu[run][k]),
            `${backend} run ${run} step ${k}: ${loss} vs cpu ${cpu[run][k]}`,
          )
          .toBeLessThanOrEqual(tol);
      }),
    );
  }
});

test('a diverging run stops, keeps its weights and says so', async ({ page }) => {
  await open(
    page,
    `lab.be=cpu&${SMALL}&lab.steps=60&lab.eval=10&lab.r0=sgd&lab.r0.lr=100&lab.r0.wd=10&lab.r1=amsgrad&lab.r1.preset=torch`,
  );
  await page.getByTestId('lab-start').click();
  const notice = page.getByTestId('lab-diverged');
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await expect(notice).toContainText('SGD diverged at step');
  await expect(notice).toContainText('keeps its last good weights');
  // The other run goes on to the end.
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('lab-latest-loss').nth(1)).toHaveText(/^\d/);
  // Read-outs and axes show '–' or a number for the diverged run, never "NaN".
  await expect(page.getByTestId('lab-latest').first()).not.toContainText('NaN');
  await expect(page.getByTestId('lab-curves')).not.toContainText('NaN');
});

test('settings that do not fit are named before training starts', async ({ page }) => {
  await open(page, `lab.be=cpu&lab.d=50&lab.h=4`);
  await expect(page.getByTestId('notice')).toContainText('multiple of the number of heads');
  await expect(page.getByTestId('lab-start')).toBeDisabled();
});

test('the default race trains on the auto backend (screenshot)', async ({ page }) => {
  test.setTimeout(90_000);
  // The default race on a smaller model, so a software backend gets far enough in a few seconds.
  await open(page, 'lab.steps=400&lab.L=1&lab.d=32&lab.b=32');
  await expect(page.getByTestId('lab-backend')).not.toHaveAttribute('data-backend', '', {
    timeout: 30_000,
  });
  // Without a GPU both WebGPU (fallback adapter) and WebGL (SwiftShader) are software here: auto takes WASM.
  const softwareOnly = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return /swiftshader|llvmpipe/i.test(
      String(gl && info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : ''),
    );
  });
  if (softwareOnly)
    await expect(page.getByTestId('lab-backend')).toHaveAttribute('data-backend', 'wasm');
  await page.getByTestId('lab-start').click();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(20);
  // The axis is part of the link: gradient evaluations are version 2's default (no key), steps
  // are written out.
  await page.getByTestId('lab-x-gradEvals').click();
  await expect(page.getByTestId('lab-x-gradEvals')).toHaveAttribute('aria-checked', 'true');
  await expect(page).not.toHaveURL(/lab\.x=/);
  await page.getByTestId('lab-x-steps').click();
  await expect(page).toHaveURL(/lab\.x=steps/);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/lab-training-auto.png', fullPage: true });
  await page.getByTestId('lab-pause').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'paused');
});

test('a worker crash is reported and the race can be restarted', async ({ page }) => {
  await open(page, `lab.be=cpu&${SMALL}&lab.steps=2000&lab.eval=50`);
  await page.getByTestId('lab-start').click();
  await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBeGreaterThan(2);
  // What TrainerClient reports when the worker dies (its `error` event).
  await page.evaluate(() =>
    (globalThis as unknown as { __labEmit: (m: unknown) => void }).__labEmit({
      type: 'error',
      phase: 'crash',
      message: 'the training worker crashed: test. Restart to continue.',
      recoverable: true,
    }),
  );
  const error = page.getByTestId('lab-error');
  await expect(error).toHaveAttribute('data-phase', 'crash');
  await expect(error).toContainText('The training worker crashed');
  await page.getByTestId('lab-restart').click();
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'running', {
    timeout: 30_000,
  });
  await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBeGreaterThan(2);
  await page.getByTestId('lab-stop').click();
});

test('after a race: the loss slice along (δ, random) with its trajectory, and the speedup experiment', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await open(
    page,
    `lab.be=cpu&${SMALL}&lab.steps=150&lab.eval=50&lab.r0=adasam&lab.r0.preset=torch&lab.r0.lr=0.01&lab.r1=sgd&lab.r1.lr=0.3`,
  );
  await page.getByTestId('lab-start').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });

  await page.getByLabel('directions').selectOption('delta-random');
  await page.getByLabel('grid').fill('15');
  // a typed span (±1, not fitted to the path) shows the path as a speck and offers the fitted one
  await page.getByLabel('span fitted to the path').uncheck();
  await page.getByTestId('lab-slice').click();
  const view = page.getByTestId('lab-slice-view');
  await expect(view).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('dd', { hasText: 'a along δ' })).toBeVisible();
  await expect(page.locator('dd', { hasText: /snapshots from step 0/ })).toBeVisible();
  // Random directions catch little of the motion: zooming frames the projected path.
  await page.getByTestId('lab-slice-zoom').click();
  await expect(page.getByTestId('lab-slice-zoom')).toHaveCount(0, { timeout: 30_000 });
  await expect(view).toBeVisible();
  // the same slice in 3-D, through the 2-D page's surface scene
  await expect(page.getByTestId('grid-surface-view')).toBeVisible();
  await page.getByTestId('grid-surface-view').screenshot({ path: 'test-results/lab-slice-3d.png' });

  // a target above any loss is reached at the first check (iteration 20) by every batch size
  await page.getByLabel('train to loss').fill('100');
  await page.getByLabel('iterations').fill('30');
  await page.getByTestId('lab-speedup').click();
  await expect(page.getByTestId('lab-speedup-chart')).toBeVisible({ timeout: 40_000 });
  await expect(page.getByText('b = 32', { exact: true })).toBeVisible();
  const readout = page.getByTestId('lab-speedup-readout');
  for (const b of [4, 8, 16, 32]) {
    await expect(readout.locator(`tr[data-batch="${b}"] td`)).toHaveText([
      String(b),
      /.+/,
      '20',
      String(20 * b),
      b === 4 ? '–' : '1',
    ]);
  }
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/lab-slice-speedup-cpu.png', fullPage: true });
});
