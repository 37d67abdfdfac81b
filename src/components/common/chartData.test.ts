import { describe, expect, it } from 'vitest';
import { toCsv, toJson, type ChartTable } from './chartData';

const table: ChartTable = {
  name: 'loss-wells',
  columns: ['step', 'AdaSAM, torch', 'note'],
  rows: [
    [0, 0.1, 'a "quoted" word'],
    [1, NaN, null],
    [2, 1e-12, 'x\ny'],
  ],
};

describe('chart data as CSV and JSON', () => {
  it('writes RFC 4180 CSV: quoted fields where needed, missing values empty', () => {
    expect(toCsv(table)).toBe(
      'step,"AdaSAM, torch",note\n0,0.1,"a ""quoted"" word"\n1,,\n2,1e-12,"x\ny"\n',
    );
  });

  it('writes JSON with the chart name, columns and rows, non-finite numbers as null', () => {
    expect(JSON.parse(toJson(table))).toEqual({
      chart: 'loss-wells',
      columns: ['step', 'AdaSAM, torch', 'note'],
      rows: [
        [0, 0.1, 'a "quoted" word'],
        [1, null, null],
        [2, 1e-12, 'x\ny'],
      ],
    });
  });

  it('keeps every digit of a double', () => {
    const x = 0.1 + 0.2;
    const csv = toCsv({ name: 't', columns: ['x'], rows: [[x]] });
    expect(Number(csv.split('\n')[1])).toBe(x);
  });
});
