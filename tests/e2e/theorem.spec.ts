/**
 * The Theorem 3.6 explorer on the 2-D page (issue 11, item 4) in headless Chromium: on the noisy
 * quadratic the constants it shows are the landscape's known ones (L = 10, the largest eigenvalue;
 * f(x₀) − f* = 4.75; σ² = 2σ²), the descent term and the step-size limit follow from them by the
 * paper's formulas, the corollary's slope is near −1/2, and axe finds nothing serious. A screenshot
 * lands in test-results/theorem/ to look at.
 */
import { expectNoSeriousAxe as axe } from './axe';
import { test, expect } from './fixtures';

const LINK = '#v=1&land=quadratic&x0=-2,1&sigma=0.5&b=8&T=100&r0=adasam&r0.lr=0.05&r0.rho=0.05';

test('explorer: constants, terms and the corollary slope on the noisy quadratic', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/' + LINK);
  const explorer = page.getByTestId('theorem-explorer');
  await explorer.locator('summary').click();
  await explorer.getByLabel('Seeds').fill('4');
  await explorer.getByRole('button', { name: 'Estimate the bound' }).click();
  await expect(explorer.getByTestId('theorem-terms')).toBeVisible({ timeout: 120_000 });

  const constant = async (name: string) =>
    Number(
      await explorer
        .getByTestId('theorem-constants')
        .getByRole('row', { name: new RegExp(name) })
        .locator('td')
        .innerText(),
    );
  expect(await constant('^L ')).toBeCloseTo(10, 2);
  expect(await constant('^σ²')).toBeCloseTo(2 * 0.5 * 0.5, 3);
  expect(await constant('f\\(x₀\\)')).toBeCloseTo(4.75, 2);
  const G = await constant('^G ');
  expect(G).toBeGreaterThan(6.5); // at least ‖∇f(x₀)‖∞ = |5.5·(−2) + 4.5|

  // 2G(f(x₀) − f*)/(γT) with γ = 0.05, T = 100, from the constants as shown (3 digits)
  const descent = Number(await explorer.locator('[data-term="descent"] td.num').innerText());
  expect(Math.abs(descent - (2 * G * 4.75) / (0.05 * 100)) / descent).toBeLessThan(0.01);
  // ε/(16L) = 1e-8/160
  await expect(explorer.getByTestId('theorem-condition')).toContainText('6.25e-11');
  await expect(explorer.getByTestId('theorem-condition')).toContainText('does not hold');
  const measured = (await explorer.getByTestId('theorem-measured').innerText()).split(' ± ');
  expect(Number(measured[0])).toBeGreaterThan(0);
  expect(Number(await explorer.getByTestId('theorem-total').innerText())).toBeGreaterThan(
    Number(measured[0]),
  );
  const slope = Number(await explorer.getByTestId('speedup-slope').innerText());
  expect(slope).toBeGreaterThan(-0.7);
  expect(slope).toBeLessThan(-0.3);
  await expect(explorer.locator('figure.loglog svg path[transform]')).toHaveCount(25);

  await axe(page, 'the theorem explorer');
  await explorer.screenshot({ path: 'test-results/theorem/explorer.png' });

  // a larger ε moves the limit ε/(16L) with it: 0.1/160
  await explorer.getByLabel('ε (the floor of √v̂)').fill('0.1');
  await explorer.getByRole('button', { name: 'Estimate the bound' }).click();
  await expect(explorer.getByTestId('theorem-condition')).toContainText('6.25e-4', {
    timeout: 120_000,
  });
});
