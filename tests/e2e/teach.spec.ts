/**
 * Teaching (issue 11): the opening race's text says what its trace says, the test view scores
 * each run's end point on both landscapes and draws the moved landscape, and a landscape switch
 * brings that landscape's recommended settings.
 */
import { execFileSync } from 'node:child_process';
import { test, expect } from './fixtures';

const SHOTS = 'test-results/teach';

/** The end loss of each run as `trace` prints it for a link, to two decimals with a real minus. */
function traceEnds(link: string): string[] {
  const out = execFileSync('npx', ['tsx', 'scripts/trace.ts', link], { encoding: 'utf8' });
  return (JSON.parse(out) as { trace: { loss: number[] } }[]).map((r) =>
    r.trace.loss[r.trace.loss.length - 1].toFixed(2).replace('-', '−'),
  );
}

test('the opening race says where each run ends with the losses the trace prints', async ({
  page,
}) => {
  const [sgd, amsgrad, sam, adasam] = traceEnds('#v=2');
  await page.goto('./');
  const story = page.getByTestId('race-story');
  await expect(story).toContainText(
    `SGD, AMSGrad and SAM end in the sharp well: training loss ${sgd === amsgrad ? sgd : '?'} to ${sam}`,
  );
  await expect(story).toContainText(`AdaSAM ends in the flat well: training loss ${adasam}`);
  await expect(story).toContainText('same radius ρ = 0.12');
  const rows = page.getByTestId('score-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(3)).toContainText(adasam);
  // another race: the reasons for the opening race are not shown
  await page.goto('./#v=2&r0=sgd&r1=adasam');
  await expect(page.getByTestId('race-story')).not.toContainText('same radius');
});

test('the test view moves the landscape on the map and goes into the link', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('contour-view')).not.toContainText('(test)');
  await page.getByTestId('view-testView').check();
  await expect(page).toHaveURL(/tv=true/);
  await expect(page.getByTestId('contour-view')).toContainText('sharp well (test)');
  await page.screenshot({ path: `${SHOTS}/test-view.png`, fullPage: true });
});

test('switching the landscape brings its recommended settings; a changed γ stays', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByTestId('scene-problem').selectOption('rosenbrock');
  await expect(page).toHaveURL(/#v=2&land=rosenbrock$/);
  await expect(page.getByTestId('scene-steps')).toHaveValue('1000');
  await expect(page.getByTestId('view-logLoss')).toBeChecked();
  await expect(page.getByTestId('run-legend')).not.toContainText('diverged');
  await expect(page.getByTestId('loss-chart-steps')).toContainText('log₁₀');
  await page.getByTestId('scene-problem').selectOption('himmelblau');
  await expect(page.getByTestId('race-story')).toContainText(
    'SGD and SAM end in the south-east minimum',
  );
  await expect(page.getByTestId('race-story')).toContainText(
    'AMSGrad and AdaSAM end in the north-east minimum',
  );
  await page.screenshot({ path: `${SHOTS}/himmelblau.png`, fullPage: true });
});
