/**
 * A race over two seeds on the page (issue 11, item 5): each chart draws each run's mean with a
 * band between the seeds, "every seed" adds each seed's own line, and the results table shows
 * each run's final test accuracy as mean ± sd, checked against the two seeds' evaluations read
 * from the page's state and summed up here by hand. Tiny settings, so it takes seconds.
 */
import { test, expect } from './fixtures';
import { expectNoSeriousAxe } from './axe';

const LINK =
  '#v=1&page=lab&lab.be=cpu&lab.p=5&lab.L=1&lab.d=32&lab.h=2&lab.mlp=16&lab.b=8&lab.steps=8&lab.eval=4&lab.seeds=2' +
  '&lab.r0=adasam&lab.r0.preset=torch&lab.r0.lr=0.003&lab.r1=amsgrad&lab.r1.preset=torch&lab.r1.lr=0.003';

interface Eval {
  testAcc: number;
}

test('a two-seed race: mean and band per run, every seed on request, mean ± sd in the table', async ({
  page,
}) => {
  await page.goto(`./?debug=1${LINK}`);
  await expect(page.getByTestId('lab-start')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('lab-start').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
    timeout: 30_000,
  });
  const curves = page.getByTestId('lab-curves');
  // one band and one mean line per run (no raw minibatch lines over several seeds)
  await expect(curves.locator('path.band')).toHaveCount(2);
  await expect(page.getByTestId('lab-band-note')).toContainText('mean over 2 seeds');
  await page.getByTestId('lab-y-testAcc').click();
  await expect(curves.locator('path.band')).toHaveCount(2);
  await page.getByTestId('lab-every-seed').check();
  await expect(page).toHaveURL(/lab\.every=true/);
  await expect(curves.locator('path.faint')).toHaveCount(4);

  // the table against the seeds' own last evaluations: mean and sample sd (n − 1) by hand
  const finals = await page.evaluate(() =>
    (globalThis as unknown as { __lab: { seedEvals: Eval[][][] } }).__lab.seedEvals.map((seed) =>
      seed.map((run) => run[run.length - 1].testAcc),
    ),
  );
  expect(finals).toHaveLength(2);
  for (const run of [0, 1]) {
    const [a, b] = [finals[0][run], finals[1][run]];
    const mean = (a + b) / 2;
    const sd = Math.abs(a - b) / Math.SQRT2; // √(((a−m)² + (b−m)²)/1) for two values
    await expect(
      page.locator(`[data-testid=lab-results] tr[data-run="${run}"] [data-testid=lab-result-acc]`),
    ).toHaveText(`${mean.toFixed(3)} ± ${sd.toFixed(3)}`);
  }
  // the words name both runs and speak of the two seeds' spread
  await expect(page.getByTestId('lab-story')).toContainText('AMSGrad');
  await expect(page.getByTestId('lab-story')).toContainText(/spread between seeds/);
  await expectNoSeriousAxe(page, 'the lab after a two-seed race');
});
