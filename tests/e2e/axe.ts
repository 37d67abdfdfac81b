/**
 * axe-core in the page under test (injected from the axe-core package, no network): fails the
 * test on any critical or serious violation, listing each with the elements it found.
 */
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}

export async function expectNoSeriousAxe(page: Page, state: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    () =>
      (
        window as unknown as {
          axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> };
        }
      ).axe.run(document, {
        rules: { 'label-content-name-mismatch': { enabled: true } },
      }) as Promise<AxeResult>,
  );
  const bad = result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, `axe on ${state}`).toEqual([]);
}
