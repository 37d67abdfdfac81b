/** The README documents every key `npm run bench -- --json` prints, and the figure fields they hold. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPORT_KEYS } from './benchReport';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const benchmarks = readme.slice(readme.indexOf('## Benchmarks'), readme.indexOf('## Notes'));

describe('bench --json keys', () => {
  it('has a Benchmarks section in the README', () => {
    expect(benchmarks.length).toBeGreaterThan(100);
  });
  for (const key of Object.keys(REPORT_KEYS))
    it(`README documents "${key}"`, () => {
      expect(benchmarks).toContain(`\`${key}\``);
    });
  for (const field of ['status', 'budgetS', 'amsgradMs', 'adasamMs', 'ratio', 'updateShare'])
    it(`README documents the transformer field "${field}"`, () => {
      expect(benchmarks).toContain(`\`${field}\``);
    });
});
