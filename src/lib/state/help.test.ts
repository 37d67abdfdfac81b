/**
 * Every control's help line (issue 11 item 6) comes from its row and is for the user: a
 * sentence in plain words, with no reference to a document the user does not have (a spec
 * section, a design file, the spec's algorithm numbers).
 */
import { describe, expect, it } from 'vitest';
import * as schema from './schema';
import type { Setting } from './settings';

const tables = Object.entries(schema as Record<string, unknown>).filter(
  (entry): entry is [string, readonly Setting[]] =>
    Array.isArray(entry[1]) &&
    entry[1].length > 0 &&
    typeof entry[1][0] === 'object' &&
    entry[1][0] !== null &&
    'help' in entry[1][0],
);

describe('help text of every setting', () => {
  it('covers the tables the controls are made from', () => {
    expect(tables.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'RUN_SETTINGS',
        'OPTIMIZER_SETTINGS',
        'SCENE_SETTINGS',
        'VIEW_SETTINGS',
        'LAB_SETTINGS',
        'LAB_VIEW_SETTINGS',
      ]),
    );
  });

  it.each(tables)('%s: each row has a help sentence that cites no document', (_, rows) => {
    for (const row of rows) {
      expect(row.help.length, row.name).toBeGreaterThan(8);
      expect(row.help, row.name).not.toMatch(/§|\bspec\b|\.md\b|Algorithm \d|arXiv/i);
    }
  });
});
