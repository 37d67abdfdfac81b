/**
 * The GLUE page in headless Chromium with the tiny RoBERTa and the MRPC sample files, chosen
 * through the file inputs: a 3-step AdaSAM vs AMSGrad race on wasm whose per-step losses equal
 * what the `glue` command prints for the page's own share link (run here, in Node, as the oracle)
 * at float32 tolerance; malformed files are named with the library's messages; axe-core finds no
 * critical or serious violation before and after the race. Screenshots go to test-results/glue/.
 *
 * Numbers are read through `window.__glue` (the page's GlueState, exposed only with `?debug=1`).
 */
import { readFileSync } from 'node:fs';
import { expectNoSeriousAxe } from './axe';
import { test, expect } from './fixtures';
import {
  chooseTinyFiles,
  commandLosses,
  expectLosses,
  FIX,
  openGlue as open,
  readGlue,
} from './glueHelpers';
const SHOTS = 'test-results/glue';

/** The race of the test, as the page's link: 3 steps, batch 4 of the 6 rows (shuffled, dropout 0.1, linear schedule: the defaults). */
const RACE =
  'glue.be=wasm&glue.steps=3&glue.b=4&glue.len=40&glue.eval=3' +
  '&glue.r0=adasam&glue.r0.lr=0.001&glue.r0.rho=0.05&glue.r1=amsgrad&glue.r1.lr=0.001';

test('a 3-step race on wasm gives the glue command’s losses; axe finds nothing serious', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await open(page, RACE);
  await expect(page.getByTestId('glue-start')).toBeDisabled();
  await expect(page.getByTestId('glue-missing')).toContainText('config.json');
  await expectNoSeriousAxe(page, 'the GLUE page before any file');

  await chooseTinyFiles(page);
  // the oracle: the command given the page's own share link (the URL the page wrote)
  expect(page.url()).toContain('page=glue');
  const command = commandLosses(page.url()); // runs while the page trains
  await expect(page.getByTestId('glue-model')).toContainText('2 layers × hidden 32');
  await expect(page.getByTestId('glue-data')).toContainText('6 rows');
  await expect(page.getByTestId('glue-start')).toBeEnabled();
  await page.getByTestId('glue-start').click();
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done', {
    timeout: 180_000,
  });
  const g = await readGlue(page);
  const want = await command;
  expect(want.map((w) => w.length)).toEqual([3, 3]);
  expectLosses(g, want, 3);
  await expect(page.getByTestId('lab-backend')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('glue-prepared')).toContainText('vocabulary pruned');
  await expect(page.getByTestId('glue-final')).toHaveCount(2);
  await expect(page.getByTestId('glue-compare')).toContainText('AdaSAM − AMSGrad here');
  // the CSV export holds every x_t of both runs: 3 losses and the dev scores at t = 0 and 3
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('glue-export-csv').click(),
  ]);
  expect(file.suggestedFilename()).toBe('glue-MRPC-curves.csv');
  const csv = readFileSync(await file.path(), 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toBe(
    'optimizer,t,gradEvals,lr,loss,sNorm,lossPerturbed,deltaNorm,cosSG,sharpness,f1,accuracy',
  );
  expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(
    ['AdaSAM', 'AMSGrad'].flatMap((o) => [0, 1, 2, 3].map((t) => `${o},${t}`)),
  );
  expect(Number(csv[1].split(',')[4])).toBe(g.steps[0][0].loss);
  await page.screenshot({ path: `${SHOTS}/after-race.png`, fullPage: true });
  await expectNoSeriousAxe(page, 'the GLUE page after a race');

  // presenter mode (key p): the settings go into a drawer and the curves take the full width
  const chart = page.getByTestId('glue-loss-chart');
  const before = (await chart.boundingBox())!.width;
  await page.locator('body').press('p');
  await expect(page.locator('html.presenter')).toHaveCount(1);
  await expect(page.locator('#glue-setup')).toBeHidden();
  await expect.poll(async () => (await chart.boundingBox())!.width).toBeGreaterThan(before * 1.2);
  await page.getByTestId('glue-settings-drawer').click();
  await expect(page.locator('#glue-setup')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/presenter-drawer.png`, animations: 'disabled' });
  await expectNoSeriousAxe(page, 'the GLUE page in presenter mode with the drawer open');
  await page.getByTestId('glue-settings-drawer').click();
  await expect(page.locator('#glue-setup')).toBeHidden();
  await page.getByTestId('glue-keys-help').click();
  await expect(page.getByRole('dialog')).toContainText('presenter mode on / off');
  await page.keyboard.press('Escape');
  await page.getByTestId('glue-presenter').click();
  await expect(page.locator('html.presenter')).toHaveCount(0);
});

test('malformed files are named with the library’s messages, and Start stays off', async ({
  page,
}) => {
  await open(page, 'glue.be=wasm');
  await page.getByTestId('glue-pick-model').setInputFiles([
    {
      name: 'config.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"model_type": "bert"}'),
    },
    {
      name: 'model.safetensors',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('not safetensors'),
    },
    {
      name: 'tokenizer.json',
      mimeType: 'application/json',
      buffer: readFileSync(FIX + 'tokenizer.json'),
    },
  ]);
  await page.getByTestId('glue-pick-train').setInputFiles({
    name: 'train.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('x,y\n1,2\n'),
  });
  await expect(page.getByTestId('glue-problem-config')).toContainText('config.json: ');
  await expect(page.getByTestId('glue-problem-config')).toContainText('model_type');
  await expect(page.getByTestId('glue-problem-weights')).toContainText('model.safetensors: ');
  await expect(page.getByTestId('glue-problem-train')).toContainText('train.csv: ');
  await expect(page.getByTestId('glue-start')).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/malformed.png`, fullPage: true });
  await expectNoSeriousAxe(page, 'the GLUE page with malformed files');

  // replacing the bad files clears their messages
  await chooseTinyFiles(page);
  await expect(page.getByTestId('glue-problem-config')).toHaveCount(0);
  await expect(page.getByTestId('glue-start')).toBeEnabled();
});
