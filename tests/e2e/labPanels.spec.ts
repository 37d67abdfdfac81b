/**
 * The lab's panels explain what they show (issue 12, item 9), checked on the page during a short
 * race of AdaSAM (paper preset: ε as a floor, no bias correction), SAM and ASAM on the cpu
 * backend: the ‖δ‖ panel draws only ASAM and says why SAM's ‖δ‖ is ρ; the η views carry axis
 * titles and the step they are from, and the spike at η = 1/ε is explained where it appears;
 * λ_max is measured at one stated step with each run's loss there; the loss slice's span is
 * fitted to the path, so the path fills the view.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

const SMALL = 'lab.p=11&lab.L=1&lab.d=32&lab.h=2&lab.mlp=32&lab.b=16';
const RACE = `${SMALL}&lab.r0=adasam&lab.r1=sam&lab.r2=asam`;
const EVAL = 10;

async function open(page: Page, hash: string) {
  await page.goto(`./?debug=1#v=1&page=lab&lab.be=cpu&${hash}`);
  await expect(page.getByRole('heading', { name: 'Transformer lab' })).toBeVisible({
    timeout: 30_000,
  });
}

const raceStep = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __lab: { step: number } }).__lab.step);

test('lab panels: ‖δ‖ explained, η axes and step, 1/ε spike, λ_max at a stated step, fitted slice', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await open(page, `${RACE}&lab.steps=400&lab.eval=${EVAL}`);
  await page.getByTestId('lab-start').click();
  await expect.poll(() => raceStep(page), { timeout: 90_000 }).toBeGreaterThan(2 * EVAL + 2);
  await page.getByTestId('lab-pause').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'paused');
  const step = await raceStep(page);

  // ‖δ‖: SAM's is ρ by construction, so only ASAM is drawn, and the note says so for SAM alone
  const note = page.getByTestId('lab-delta-note');
  await expect(note).toContainText('Not drawn for AdaSAM, SAM:');
  await expect(note).toContainText('‖δ‖ = ρ at every step');
  await expect(page.getByTestId('lab-diag-deltaNorm')).toContainText('ASAM');
  // the latest step's table agrees: a number for ASAM alone, "= ρ" for the SAM-type runs
  const deltaCells = page.getByTestId('lab-latest-delta');
  await expect(deltaCells).toHaveText(['= ρ', '= ρ', /^[\d.e+-]+$/]);
  await expect(page.getByTestId('lab-latest-note')).toContainText("a SAM run's is its ρ");

  // η: the step the statistics are from (a multiple of the sampling interval, behind the race)
  const label = page.getByTestId('lab-eta-step');
  const etaStep = Number(await label.getAttribute('data-step'));
  expect(etaStep % EVAL).toBe(0);
  expect(etaStep).toBeGreaterThan(0);
  expect(etaStep).toBeLessThanOrEqual(step);
  await expect(label).toContainText(`AdaSAM, η at step ${etaStep}`);
  if (etaStep < step) await expect(label).toContainText(`the race is at step ${step}`);
  // axis titles and units on both η views
  const hist = page.getByTestId('lab-eta-hist');
  await expect(hist).toContainText('η, the step size of a coordinate (log scale)');
  await expect(hist).toContainText('coordinates per bin');
  await expect(page.getByTestId('lab-eta-heatmap-y')).toHaveText('row: input index');
  await expect(page.getByTestId('lab-eta-heatmap-x')).toHaveText('column: output index');

  // the spike at 1/ε = 10⁸ (paper preset, ε = 1e-8): the histograms the page drew reach
  // log10 η = 8 (coordinates whose v̂ is still ε², here the attention key bias, whose gradient
  // the softmax cancels), and the note beside them says so
  const top = await page.evaluate(() => {
    const lab = (
      globalThis as unknown as { __lab: { eta: { histograms: { edges: Float32Array }[] }[] } }
    ).__lab;
    const edges = lab.eta[0].histograms[0].edges;
    return edges[edges.length - 1];
  });
  expect(top).toBeCloseTo(8, 3);
  const spike = page.getByTestId('lab-eta-ceiling');
  await expect(spike).toContainText('The spike at η = 1/ε = 10⁸');
  await expect(spike).toContainText('v̂ is still at its floor (ε²)');
  await expect(page.getByTestId('lab-eta-ceiling-mark')).toHaveCount(1);

  // λ_max: every run at the paused step, each with the loss there
  await page.getByTestId('lab-hessian').click();
  const point = page.getByTestId('lab-hessian-point');
  await expect(point).toHaveAttribute('data-step', String(step), { timeout: 60_000 });
  await expect(point).toContainText(`Every run measured at step ${step}`);
  const losses = page.getByTestId('lab-hessian-loss');
  await expect(losses).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(losses.nth(i)).toHaveText(/^\d+(\.\d+)?$/);

  // the slice: span fitted to the path, which then reaches between half and three quarters out
  await page.getByLabel('grid').fill('9');
  await page.getByTestId('lab-slice').click();
  const span = page.getByTestId('lab-slice-span');
  await expect(span).toBeVisible({ timeout: 60_000 });
  const ratio = await span.evaluate(
    (e) => Number(e.getAttribute('data-reach')) / Number(e.getAttribute('data-span')),
  );
  expect(ratio).toBeGreaterThan(0.5);
  expect(ratio).toBeLessThanOrEqual(0.75);
  await expect(page.getByTestId('lab-slice-zoom')).toHaveCount(0);
  await page.getByTestId('lab-stop').click();
});
