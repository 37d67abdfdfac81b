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
import { spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

const FIX = 'tests/fixtures/roberta/';
const SHOTS = 'test-results/glue';
const RACE =
  'glue.be=webgpu&glue.steps=3&glue.b=4&glue.len=40' +
  '&glue.r0=adasam&glue.r0.lr=0.001&glue.r0.rho=0.05&glue.r1=amsgrad&glue.r1.lr=0.001';

function commandLosses(link: string): number[][] {
  const r = spawnSync(
    'node_modules/.bin/tsx',
    [
      'scripts/glue.ts',
      'train',
      ...['--model', FIX + 'tiny', '--tokenizer', FIX + 'tokenizer.json'],
      ...['--train', FIX + 'glue/MRPC/train.tsv', '--dev', FIX + 'glue/MRPC/dev.tsv'],
      link,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`glue command failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { steps: { loss: number }[] }[]).map((run) =>
    run.steps.map((s) => s.loss),
  );
}

interface GlueDebug {
  status: string;
  steps: { step: number; loss: number }[][];
  runStatus: string[];
  error: { phase: string; message: string } | null;
  checkpoint: { runs: ({ step: number } | null)[] } | null;
}

const readGlue = (page: Page) =>
  page.evaluate(
    () =>
      JSON.parse(
        JSON.stringify((globalThis as unknown as { __glue: GlueDebug }).__glue, [
          'status',
          'steps',
          'step',
          'loss',
          'runStatus',
          'error',
          'phase',
          'message',
        ]),
      ) as GlueDebug,
  );

const close = (got: number, want: number) => Math.abs(got - want) <= 1e-4 + 1e-3 * Math.abs(want);

function expectLosses(g: GlueDebug, want: number[][]) {
  expect(g.error).toBeNull();
  expect(g.runStatus).toEqual(['ok', 'ok']);
  g.steps.forEach((run, i) => {
    expect(run.map((s) => s.step)).toEqual([0, 1, 2]);
    run.forEach((s, t) =>
      expect(close(s.loss, want[i][t]), `run ${i} step ${t}: ${s.loss} vs ${want[i][t]}`).toBe(
        true,
      ),
    );
  });
}

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
  await page
    .getByTestId('glue-pick-model')
    .setInputFiles([
      FIX + 'tiny/config.json',
      FIX + 'tiny/model.safetensors',
      FIX + 'tokenizer.json',
    ]);
  await page.getByTestId('glue-pick-train').setInputFiles(FIX + 'glue/MRPC/train.tsv');
  await page.getByTestId('glue-pick-dev').setInputFiles(FIX + 'glue/MRPC/dev.tsv');
  // the dev scoring interval does not change the losses: one oracle for both races
  const want = commandLosses(page.url());

  let t0 = Date.now();
  await page.getByTestId('glue-start').click();
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done', {
    timeout: 180_000,
  });
  const webgpuMs = Date.now() - t0;
  await expect(page.getByTestId('lab-backend')).toHaveAttribute('data-backend', 'webgpu');
  expectLosses(await readGlue(page), want);
  await page.screenshot({ path: `${SHOTS}/webgpu-race.png`, fullPage: true });

  // a checkpoint after every step; the device is destroyed once the first one is kept
  await page.evaluate((h) => (location.hash = h), `#v=1&page=glue&glue.eval=1&${RACE}`);
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
          if ((w.__glue.checkpoint?.runs[0]?.step ?? 0) >= 1) {
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
  expectLosses(await readGlue(page), want);
  await page.screenshot({ path: `${SHOTS}/webgpu-lost.png`, fullPage: true });
  console.log(`WebGPU race ${webgpuMs} ms; race with a lost device ${lostMs} ms`);
});
