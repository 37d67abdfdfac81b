/**
 * A browser without WebGL: the 2-D explainer still works (contours, race, anatomy) and the 3-D
 * view says why it is missing instead of breaking the page.
 */
import { test, expect } from '@playwright/test';
import config from '../../playwright.config';

test.use({
  launchOptions: {
    ...config.use?.launchOptions,
    args: [...(config.use?.launchOptions?.args ?? []), '--disable-webgl', '--disable-3d-apis'],
  },
});

test('without WebGL the 3-D view explains itself and the rest of the page works', async ({
  page,
}) => {
  const uncaught: string[] = [];
  page.on('pageerror', (e) => uncaught.push(e.message));
  await page.goto('./');
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  await expect(page.getByTestId('surface-view')).toContainText('The 3-D view needs WebGL');
  await expect(page.getByTestId('algorithm')).toBeVisible();
  await page.getByTestId('r3-rho-slider').fill('20'); // ρ moves in steps of 0.005
  await expect(page).toHaveURL(/r3\.rho=0\.1(&|$)/);
  expect(uncaught).toEqual([]);
});
