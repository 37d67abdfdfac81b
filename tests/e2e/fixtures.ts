/**
 * A `page` fixture that fails the test on any console error, uncaught exception or request to
 * another origin (the app must make no network request the user did not ask for).
 */
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page, baseURL }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
      page.on('request', (req) => {
        const url = req.url();
        if (!url.startsWith(baseURL!) && !url.startsWith('data:') && !url.startsWith('blob:'))
          errors.push(`request to another origin: ${url}`);
      });
      await use(errors);
      expect(errors, 'console errors, uncaught exceptions or foreign requests').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
