/**
 * Links the exporter cannot express exactly are refused with one clear line (exit 2 from the
 * command), and an exported file never carries text from the link other than validated numbers
 * and enums: hostile links with quotes, newlines, `__import__` and unicode.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPythonSources } from './nodeSources';
import { exportTorch } from './script';

const sources = readPythonSources();

const REFUSED: [string, RegExp][] = [
  ['#v=4&r0=sgd', /"v".*schema version/],
  ["#v=1&land=wells\"__import__('os').system('id')", /"land"/],
  ['#v=1&r0=adasam&r0.lr=0.05%0A__import__(%22os%22)', /"r0\.lr"/],
  ['#v=1&x0=1,2%22%29%3B__import__(%27os%27)', /"x0"/],
  ['#v=1&r0=adasam&evil%0Akey=1', /unknown setting/],
  ['#v=1&land=w%C3%A9lls%E2%80%A8x', /"land"/],
  ['#v=1&r0=adasam&r0.b2=1&r0.bc=true', /"r0\.b2".*beta2/],
  ['#v=1&page=lab&lab.task=modadd%27%29%3Bprint(1)', /"lab\.task"/],
  ['#v=1&page=lab&lab.d=64&lab.h=3', /multiple of the number of heads/],
  ['#v=1&page=admin', /"page"/],
  ['#v=1&r0=sgd&r0=adasam', /more than once/],
  ['#v=1&' + 'r0=sgd&'.repeat(2000), /longer than/],
];

describe('export refuses what it cannot express', () => {
  it.each(REFUSED)('%s', async (link, reason) => {
    const r = await exportTorch(link, { sources });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/^cannot export this link/);
    expect(r.message).toMatch(reason);
    expect(r.message).not.toMatch(/[\n\r\u2028\u2029]/);
  });

  it('never copies text from the link into the file', async () => {
    // valid values written in unusual forms: the file holds the numbers, not the link's text
    const r = await exportTorch(
      '#v=1&land=wells&x0=%2B0.20000,-4e-1&r0=adasam&r0.lr=5E-2&r0.rho=2.50e-1&T=0012',
      { sources },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.text).toContain('"x0": [0.2, -0.4]');
    expect(r.text).toContain('"steps": 12');
    expect(r.text).toContain('"lr": 0.05');
    for (const raw of ['+0.20000', '-4e-1', '5E-2', '2.50e-1', '0012'])
      expect(r.text).not.toContain(raw);
  });

  it('the command exits 2 with one line on stderr and nothing on stdout', () => {
    const script = fileURLToPath(new URL('../../../scripts/export.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const r = spawnSync(
      process.execPath,
      [tsx, script, 'torch', "#v=1&r0=sgd&r0.lr=1'\n__import__"],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^export: cannot export this link exactly: "r0\.lr"/);
  });
});
