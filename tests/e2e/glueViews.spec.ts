/**
 * The GLUE page's views after a short race of the tiny RoBERTa on the MRPC samples (wasm): two
 * seeds, the results as mean ± sd with the sign of AdaSAM − AMSGrad, the per-step diagnostics
 * (‖δ‖ "= ρ" for AdaSAM), η histograms per layer for a chosen run and step, the speed-up
 * experiment's table, and the exports carrying all of it. Screenshots go to test-results/glue/.
 */
import { readFileSync } from 'node:fs';
import { expectNoSeriousAxe } from './axe';
import { test, expect } from './fixtures';
import { chooseTinyFiles, openGlue } from './glueHelpers';

const SHOTS = 'test-results/glue';

/** 2 steps of batch 4, dev scored at 0 and 2, two seeds; a speed-up of at most 2 steps. */
const RACE =
  'glue.be=wasm&glue.steps=2&glue.b=4&glue.len=40&glue.eval=2&glue.seeds=2' +
  '&glue.r0=adasam&glue.r0.lr=0.001&glue.r0.rho=0.05&glue.r1=amsgrad&glue.r1.lr=0.001' +
  '&glue.su.loss=100&glue.su.steps=2';

test('two seeds, diagnostics, η per layer and the speed-up, exported', async ({ page }) => {
  test.setTimeout(120_000);
  await openGlue(page, RACE);
  await expect(page.locator('#glue-glue-seeds')).toHaveValue('2');
  await chooseTinyFiles(page);
  await expect(page.getByTestId('glue-start')).toBeEnabled();
  await page.getByTestId('glue-start').click();
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done', {
    timeout: 90_000,
  });

  // results over two seeds: mean ± sd, and the sign beside the paper's
  await expect(page.getByTestId('glue-final').first()).toContainText('±');
  await expect(page.getByTestId('glue-run-status').first()).toHaveText('ok');
  await expect(page.getByTestId('glue-compare')).toContainText('2 paired seeds');
  await expect(page.getByTestId('glue-sign')).toHaveText(/^[+−±]$/);
  await expect(page.getByTestId('glue-band-note')).toBeVisible();
  await expect(page.getByTestId('glue-loss-chart').locator('path.band')).toHaveCount(2);

  // diagnostics: AdaSAM's ‖δ‖ is its ρ (SAM-type), AMSGrad has none
  const latest = page.getByTestId('lab-latest');
  await expect(latest.nth(0).getByTestId('lab-latest-step')).toHaveText('1');
  await expect(latest.nth(0).getByTestId('lab-latest-delta')).toHaveText('= ρ');
  await expect(latest.nth(1).getByTestId('lab-latest-delta')).toHaveText('–');
  await expect(page.getByTestId('lab-diag-cosSG').locator('path[stroke]')).toHaveCount(1);

  // η of a chosen run and step: steps 0 and 1 (the first and the last) are sampled
  const eta = page.getByTestId('glue-eta');
  await expect(eta.getByTestId('lab-eta-hist')).toBeVisible();
  await expect(eta.getByTestId('glue-eta-step').locator('option')).toHaveText(['0', '1']);
  await eta.getByTestId('glue-eta-run').selectOption({ label: 'AMSGrad' });
  await eta.getByTestId('glue-eta-step').selectOption('0');
  await expect(eta.getByTestId('glue-eta-shown')).toHaveAttribute('data-step', '0');
  await expect(eta.getByTestId('glue-eta-shown')).toContainText('AMSGrad, η at step 0');
  // the curves against each run's own training time; the link keeps the axis
  await page.locator('#glue-glue-x').selectOption('wallMs');
  await expect(page.getByTestId('glue-loss-chart')).toContainText('training time (s)');
  await expect(page.getByTestId('lab-diag-sNorm')).toContainText('training time (s)');
  expect(page.url()).toContain('glue.x=wallMs');
  await page.screenshot({ path: `${SHOTS}/views-after-race.png`, fullPage: true });

  // the speed-up: four batch sizes, lr ∝ √b from lr 0.001 at b = 4; the loose target is met at
  // the first check (the cap, 2 steps), so T = 2 and T·b = 2b
  await expect(page.getByTestId('glue-speedup-lrs')).toContainText('b = 16: 0.002');
  await page.getByTestId('glue-speedup-start').click();
  await expect(page.getByTestId('glue-speedup-row')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('glue-speedup-T')).toHaveText(['2', '2', '2', '2']);
  await expect(page.getByTestId('glue-status')).toHaveAttribute('data-state', 'done');
  await page.getByTestId('glue-speedup').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/views-speedup.png`, fullPage: true });
  await expectNoSeriousAxe(page, 'the GLUE page with its views filled');

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('glue-export-json').click(),
  ]);
  const doc = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(doc.settings.seeds).toBe(2);
  expect(doc.runs[0].steps.map((s: { seed: number }) => s.seed)).toEqual([0, 0, 1, 1]);
  expect(doc.runs[0].steps[0].cosSG).toBeGreaterThan(-1);
  expect(doc.runs[0].seeds.final.n).toBe(2);
  expect(doc.runs[1].eta.map((e: { step: number }) => e.step)).toEqual([0, 1]);
  expect(doc.speedup.rows.map((r: { Tb: number }) => r.Tb)).toEqual([8, 16, 32, 64]);
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('glue-export-csv').click(),
  ]);
  const head = readFileSync(await csv.path(), 'utf8').split('\n')[0];
  expect(head).toBe(
    'optimizer,seed,t,gradEvals,lr,loss,sNorm,lossPerturbed,deltaNorm,cosSG,sharpness,f1,accuracy',
  );
});
