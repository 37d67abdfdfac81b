/**
 * GLUE checkpoints on the page (issue 9, item 3; decisions.md, GLUE), tiny RoBERTa and the MRPC
 * sample on wasm: a race stopped after k steps keeps a checkpoint in OPFS; its two files download
 * (the weights read back with the library's reader under Hugging Face names and the full
 * vocabulary; the state file holds the step); "continue" resumes the race from the kept files and
 * a downloaded checkpoint chosen from disk resumes it again, and both times the losses of the
 * k + (N − k) steps equal what the `glue` command prints for the page's link over N steps (run
 * here in Node, the oracle) at float32 tolerance. The second start takes its token ids from the
 * cache. Screenshots go to test-results/glue/.
 */
import type { Download, Page } from '@playwright/test';
import { openSafetensorsFile } from '../../src/lib/glue/safetensorsNode';
import { test, expect } from './fixtures';
import {
  chooseTinyFiles,
  commandLosses,
  expectLosses,
  FIX,
  openGlue,
  readGlue,
  type GlueDebug,
} from './glueHelpers';

const SHOTS = 'test-results/glue';
const N = 6;
const RACE =
  `glue.be=wasm&glue.steps=${N}&glue.b=4&glue.len=40&glue.eval=2` +
  '&glue.r0=adasam&glue.r0.lr=0.001&glue.r0.rho=0.05&glue.r1=amsgrad&glue.r1.lr=0.001';

/** Resolves when the page's race has left the state 'done' and come back to it. */
const raceEnds = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((done) => {
        const g = (globalThis as unknown as { __glue: GlueDebug }).__glue;
        let left = false;
        const timer = setInterval(() => {
          if (g.status !== 'done') left = true;
          else if (left) {
            clearInterval(timer);
            done();
          }
        }, 1);
      }),
  );

async function saveDownload(page: Page, testId: string, nth: number): Promise<Download> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).nth(nth).click(),
  ]);
  return file;
}

test('stop, keep, download, continue from OPFS and from disk: the glue command’s N-step losses', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openGlue(page, RACE);
  await chooseTinyFiles(page);
  const command = commandLosses(page.url()); // runs while the page trains
  await expect(page.getByTestId('glue-start')).toBeEnabled();

  // stop the first run as soon as it has taken a step: it stops after k steps, 1 ≤ k < N
  await page.getByTestId('glue-start').click();
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        const g = (globalThis as unknown as { __glue: GlueDebug & { stop(): void } }).__glue;
        const timer = setInterval(() => {
          if ((g.steps[0]?.length ?? 0) >= 1) {
            clearInterval(timer);
            g.stop();
            done();
          }
        }, 1);
      }),
  );
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'stopped');
  const row = page.getByTestId('glue-kept-run').first();
  await expect(row).toHaveAttribute('data-run', '0');
  const k = Number(await row.getAttribute('data-step'));
  expect(k).toBeGreaterThanOrEqual(1);
  expect(k).toBeLessThan(N);
  expect((await readGlue(page)).steps[0]).toHaveLength(k);
  await page.screenshot({ path: `${SHOTS}/checkpoint-kept.png`, fullPage: true });

  // the kept checkpoint's two files: the weights under HF names, full vocabulary; the state at k
  const weights = await saveDownload(page, 'glue-save-weights', 0);
  const state = await saveDownload(page, 'glue-save-state', 0);
  expect(weights.suggestedFilename()).toBe(`MRPC-AdaSAM-step${k}-model.safetensors`);
  const weightsPath = test.info().outputPath('model.safetensors');
  const statePath = test.info().outputPath('optimizer.safetensors');
  await weights.saveAs(weightsPath);
  await state.saveAs(statePath);
  const read = await openSafetensorsFile(weightsPath);
  expect(read.metadata.format).toBe('pt');
  expect(read.tensors.get('roberta.embeddings.word_embeddings.weight')?.shape).toEqual([50265, 32]);
  expect(read.tensors.has('roberta.encoder.layer.0.attention.self.query.weight')).toBe(true);
  expect(read.tensors.has('classifier.out_proj.bias')).toBe(true);
  await read.source.close();
  const readState = await openSafetensorsFile(statePath);
  expect(readState.metadata.step).toBe(String(k));
  expect(readState.tensors.has('vHat/classifier.out_proj.bias')).toBe(true);
  await readState.source.close();

  // continue from the checkpoint kept in OPFS: the race ends as the unbroken N-step run
  let t0 = Date.now();
  await page.getByTestId('glue-continue').first().click();
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done');
  const fromOpfs = Date.now() - t0;
  const want = await command;
  expect(want.map((w) => w.length)).toEqual([N, N]);
  expectLosses(await readGlue(page), want, N);
  await expect(page.getByTestId('glue-prepared')).toContainText('token ids from the cache');
  await expect(page.getByTestId('glue-kept-run')).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/checkpoint-continued.png`, fullPage: true });

  // continue again from the downloaded step-k files chosen from disk
  t0 = Date.now();
  const ended = raceEnds(page);
  await page.getByTestId('glue-resume-files').setInputFiles([statePath, weightsPath]);
  await ended;
  const fromDisk = Date.now() - t0;
  expectLosses(await readGlue(page), want, N);
  console.log(`continue from OPFS ${fromOpfs} ms, from disk ${fromDisk} ms (k = ${k})`);

  // a file that is not a checkpoint is named, and nothing starts
  await page
    .getByTestId('glue-resume-files')
    .setInputFiles([FIX + 'tiny/model.safetensors', weightsPath]);
  await expect(page.getByTestId('glue-resume-problem')).toContainText(
    'must be an optimizer-state file',
  );
});
