/**
 * A `page` fixture that fails the test on any console error, uncaught exception or request to
 * another origin (the app must make no network request the user did not ask for).
 *
 * `mockedOrigins` (empty unless a spec sets it with `test.use`) names origins whose requests that
 * spec answers itself with `page.route` (a mock Hub): requests to them are allowed, and so is the
 * browser's "Failed to load resource" line for a connection the mock breaks on purpose.
 */
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ consoleErrors: string[]; mockedOrigins: string[] }>({
  mockedOrigins: [[], { option: true }],
  consoleErrors: [
    async ({ page, baseURL, mockedOrigins }, use) => {
      const errors: string[] = [];
      const mocked = (url: string) => mockedOrigins.some((o) => url.startsWith(o + '/'));
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        if (mocked(msg.location().url) && msg.text().startsWith('Failed to load resource')) return;
        errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
      page.on('request', (req) => {
        const url = req.url();
        if (
          !url.startsWith(baseURL!) &&
          !url.startsWith('data:') &&
          !url.startsWith('blob:') &&
          !mocked(url)
        )
          errors.push(`request to another origin: ${url}`);
      });
      await use(errors);
      expect(errors, 'console errors, uncaught exceptions or foreign requests').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
