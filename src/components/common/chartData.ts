/**
 * The data behind a chart as one table, written as CSV or JSON for the "CSV" / "JSON" buttons
 * beside every chart (issue 12, item 6). Numbers keep every digit (JS's shortest round-trip
 * form), missing values (null, NaN, ±Infinity) are empty cells in CSV and null in JSON.
 */
export type Cell = number | string | null;

export interface ChartTable {
  /** file name stem and the JSON's `chart` field, e.g. "loss-wells" */
  name: string;
  columns: string[];
  rows: Cell[][];
}

const csvCell = (c: Cell): string => {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  // RFC 4180: quote fields holding a comma, a quote or a line break; double inner quotes
  return /[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
};

/** RFC 4180 CSV: a header row, then one line per row, CRLF-free (plain \n). */
export function toCsv(t: ChartTable): string {
  return [t.columns, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** {"chart", "columns", "rows"}: the same table, non-finite numbers as null. */
export function toJson(t: ChartTable): string {
  const rows = t.rows.map((r) =>
    r.map((c) => (typeof c === 'number' && !Number.isFinite(c) ? null : c)),
  );
  return JSON.stringify({ chart: t.name, columns: t.columns, rows }) + '\n';
}
