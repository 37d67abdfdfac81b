/**
 * Once loaded, the app works without a network: the service worker serves every file of the
 * build, so both pages open and the lab (its worker and TF.js) trains offline.
 */
import { test, expect } from './fixtures';

test('after one visit, both pages open and the lab trains with the network off', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  await page.goto('./');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
    .toBe(true);

  await context.setOffline(true);
  // a real load each time (a hash change alone would not leave the page)
  await page.goto('./#v=1&land=himmelblau&T=50');
  await page.reload();
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  await expect(page.getByRole('combobox', { name: 'landscape' })).toHaveValue('himmelblau');
  await page.goto('./#v=1&page=lab&lab.be=cpu&lab.L=1&lab.d=32&lab.steps=6&lab.eval=3');
  await page.reload();
  await page.getByTestId('lab-start').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
  await expect(page.getByText('Start again')).toBeVisible();
  await context.setOffline(false);
});
