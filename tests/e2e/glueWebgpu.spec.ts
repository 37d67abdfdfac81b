/**
 * The GLUE page on WebGPU (SwiftShader under --enable-unsafe-webgpu; one page, so one WebGPU
 * context for the file: decisions.md), tiny RoBERTa and the MRPC sample:
 * 1. a 3-step AdaSAM vs AMSGrad race on WebGPU gives the losses the `glue` command prints for the
 *    page's link (run here in Node, the oracle) at float32 tolerance;
 * 2. the same race again with a checkpoint after every step, and the WebGPU device destroyed by
 *    the test build's hook once the first checkpoint is kept: the page says WebGPU failed, the race
 *    goes on on wasm from the last checkpoint, and the losses still equal the command's.
 * Screenshots go to test-results/glue/.
 */
import { test, expect } from './fixtures';
import {
  chooseTinyFiles,
  commandLosses,
  expectLosses,
  readGlue,
  type GlueDebug,
} from './glueHelpers';

const SHOTS = 'test-results/glue';
const RACE =
  'glue.be=webgpu&glue.steps=3&glue.b=4&glue.len=40' +
  '&glue.r0=adasam&glue.r0.lr=0.001&glue.r0.rho=0.05&glue.r1=amsgrad&glue.r1.lr=0.001';

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

  // a checkpoint after every step; the device is destroyed once the first one is kept
  await page.evaluate((h) => (location.hash = h), `#v=1&page=glue&glue.eval=1&${RACE}`);
  // the page has taken the new link (else Start may begin the first race's settings again, whose
  // only checkpoint, at its end, comes too late for the device to be lost during the race)
  await expect(page.locator('#glue-glue-eval')).toHaveValue('1');
  await expect(page.getByTestId('glue-start')).toBeEnabled();
  t0 = Date.now();
  await page.getByTestId('glue-start').click();
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        const w = globalThis as unknown as {
          __glue: GlueDebug;
          __glueWorker: (type: string) => void;
        };
        const timer = setInterval(() => {
          if ((w.__glue.checkpoint?.runs[0]?.[0]?.step ?? 0) >= 1) {
            clearInterval(timer);
            w.__glueWorker('test-lose-device');
            done();
          }
        }, 1);
      }),
  );
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
  console.log(`WebGPU race ${webgpuMs} ms; race with a lost device ${lostMs} ms`);
});
