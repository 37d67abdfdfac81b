/**
 * The GLUE page on WebGPU (SwiftShader under --enable-unsafe-webgpu; one page, so one WebGPU
 * context for the file: decisions.md), tiny RoBERTa and the MRPC sample:
 * 1. a 3-step AdaSAM vs AMSGrad race on WebGPU gives the losses the `glue` command prints for the
 *    page's link (run here in Node, the oracle) at float32 tolerance;
 * 2. the same race with a checkpoint after every step, and a real out-of-memory error on the GPU
 *    once the first checkpoint is kept (the test build's hook asks the device for a buffer of its
 *    largest size inside the next error scope; SwiftShader refuses it as a GPUOutOfMemoryError,
 *    which WebGPU reports, not throws): the run stops with the memory advice, its checkpoint from
 *    step 1 is kept, and the steps before it equal the command's;
 * 3. the same race again (WebGPU still works after the memory error), and the WebGPU device
 *    destroyed by the test build's hook once the first checkpoint is kept: the page says WebGPU
 *    failed, the race goes on on wasm from the last checkpoint, and the losses still equal the
 *    command's.
 * Screenshots go to test-results/glue/.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import {
  chooseTinyFiles,
  close,
  commandLosses,
  expectLosses,
  readGlue,
  type GlueDebug,
} from './glueHelpers';

const SHOTS = 'test-results/glue';
const RACE =
  'glue.be=webgpu&glue.steps=3&glue.b=4&glue.len=40' +
  '&glue.r0=adasam&glue.r0.lr=0.001&glue.r0.rho=0.05&glue.r1=amsgrad&glue.r1.lr=0.001';

/** Sends a test-build message to the GLUE worker once run 0's first checkpoint (seed 0) is kept. */
const afterFirstCheckpoint = (page: Page, message: string) =>
  page.evaluate(
    (message) =>
      new Promise<void>((done) => {
        const w = globalThis as unknown as {
          __glue: GlueDebug;
          __glueWorker: (type: string) => void;
        };
        const timer = setInterval(() => {
          if ((w.__glue.checkpoint?.runs[0]?.[0]?.step ?? 0) >= 1) {
            clearInterval(timer);
            w.__glueWorker(message);
            done();
          }
        }, 1);
      }),
    message,
  );

test('a 3-step race on WebGPU gives the glue command’s losses; a lost device goes on on wasm', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto(`./?debug=1#v=1&page=glue&glue.eval=3&${RACE}`);
  const hasWebGPU = await page.evaluate(
    async () =>
      !!(await (
        navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }
      ).gpu?.requestAdapter()),
  );
  expect(hasWebGPU, 'Chromium here gives a WebGPU adapter (--enable-unsafe-webgpu)').toBe(true);
  await chooseTinyFiles(page);
  // the dev scoring interval does not change the losses: one oracle for both races (it runs
  // while the page trains)
  const command = commandLosses(page.url());

  let t0 = Date.now();
  await page.getByTestId('glue-start').click();
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done', {
    timeout: 180_000,
  });
  const webgpuMs = Date.now() - t0;
  await expect(page.getByTestId('lab-backend')).toHaveAttribute('data-backend', 'webgpu');
  const want = await command;
  expectLosses(await readGlue(page), want, 3);
  await page.screenshot({ path: `${SHOTS}/webgpu-race.png`, fullPage: true });

  // a checkpoint after every step; too little GPU memory once the first one is kept
  await page.evaluate((h) => (location.hash = h), `#v=1&page=glue&glue.eval=1&${RACE}`);
  // the page has taken the new link (else Start may begin the first race's settings again, whose
  // only checkpoint, at its end, comes too late for a failure during the race)
  await expect(page.locator('#glue-glue-eval')).toHaveValue('1');
  await expect(page.getByTestId('glue-start')).toBeEnabled();
  t0 = Date.now();
  await page.getByTestId('glue-start').click();
  await afterFirstCheckpoint(page, 'test-gpu-oom');
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'stopped', {
    timeout: 120_000,
  });
  const oomMs = Date.now() - t0;
  await expect(page.getByTestId('glue-error')).toContainText(
    /too little memory on webgpu for this run \(GPU out of memory: [^)]*\)\. Try a smaller batch \(now 4\)/,
  );
  await expect(page.getByTestId('glue-error')).toContainText(
    'The run stopped; its checkpoint at step 1 is kept.',
  );
  await expect(page.getByTestId('lab-backend')).toHaveAttribute('data-backend', 'webgpu');
  const stopped = await readGlue(page);
  expect(stopped.runStatus[0]).toBe('stopped');
  // the hook lands in the first scope pushed after it arrives: step 1's, or the evaluation's
  // after it when step 1 was already under way; the steps taken before are the command's
  expect([[0], [0, 1]]).toContainEqual(stopped.steps[0].map((s) => s.step));
  stopped.steps[0].forEach((s, t) => expect(close(s.loss, want[0][t]), `step ${t}`).toBe(true));
  expect(
    await page.evaluate(
      () => (globalThis as unknown as { __glue: GlueDebug }).__glue.checkpoint?.runs[0]?.[0],
    ),
  ).toMatchObject({ step: 1, status: 'stopped' });
  await page.screenshot({ path: `${SHOTS}/webgpu-oom.png`, fullPage: true });

  // again, and the device is destroyed once the first checkpoint is kept
  await page.getByTestId('glue-start').click();
  t0 = Date.now();
  await afterFirstCheckpoint(page, 'test-lose-device');
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });
  const lostMs = Date.now() - t0;
  await expect(page.getByTestId('glue-notices')).toContainText(/webgpu failed during \w+/);
  await expect(page.getByTestId('glue-notices')).toContainText(
    /goes on on wasm from the checkpoint at step \d/,
  );
  await expect(page.getByTestId('lab-backend')).toHaveAttribute('data-backend', 'wasm');
  expectLosses(await readGlue(page), want, 3);
  await page.screenshot({ path: `${SHOTS}/webgpu-lost.png`, fullPage: true });
  console.log(
    `WebGPU race ${webgpuMs} ms; race stopped by too little memory ${oomMs} ms; race with a lost device ${lostMs} ms`,
  );
});
