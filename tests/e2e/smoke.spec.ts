import { test, expect } from './fixtures';

test('the first page loads, shows the race and has no console errors', async ({
  page,
  consoleErrors,
}) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'AdaSAM playground' })).toBeVisible();
  await expect(page).toHaveURL(/#v=3$/);
  expect(consoleErrors).toEqual([]);
});

test('a junk link opens the defaults and lists what was ignored, as text', async ({ page }) => {
  await page.goto(
    './#v=1&lr=abc&r0=notAnOptimizer&land=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&zzz=1',
  );
  const notice = page.getByTestId('notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('land=<img src=x onerror=alert(1)>');
  await expect(notice).toContainText('zzz=1');
  await expect(page.locator('main img')).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});
