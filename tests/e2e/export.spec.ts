/**
 * "Export → PyTorch" on both pages downloads the Python script for the current link.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

const HEADER = [
  '#!/usr/bin/env python3',
  '# AdaSAM playground export for PyTorch (>= 1.13; nothing else beyond the standard library).',
].join('\n');

test('Export → PyTorch downloads the script of the current link on the 2-D page and the lab', async ({
  page,
}) => {
  await page.goto('./#v=1&land=himmelblau&r0=adasam&r0.lr=0.05');
  const [script2d] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export to PyTorch' }).click(),
  ]);
  expect(script2d.suggestedFilename()).toBe('adasam_2d_himmelblau.py');
  const text2d = readFileSync((await script2d.path())!, 'utf8');
  expect(text2d.startsWith(HEADER)).toBe(true);
  expect(text2d).toContain('SCENE = {"problem": "himmelblau"');

  await page.goto('./#v=1&page=lab&lab.task=majority&lab.len=5&lab.ntr=16&lab.nte=16');
  const [scriptLab] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export to PyTorch' }).click(),
  ]);
  expect(scriptLab.suggestedFilename()).toBe('adasam_lab_majority.py');
  const textLab = readFileSync((await scriptLab.path())!, 'utf8');
  expect(textLab.startsWith(HEADER)).toBe(true);
  expect(textLab).toContain('    main_lab(LAB)');
});
