/**
 * Line splitting for the GLUE readers (spec glue.md §3): TSV split on tab only with no quote
 * handling and a trailing `\r` stripped; CSV (RFC 4180) with quoted fields, `""` escapes and line
 * breaks inside quotes. Each row keeps the 1-based line where it starts, for messages.
 */
import { fail } from './errors';

export interface Row {
  line: number;
  fields: string[];
}

/** TSV rows; empty lines are dropped (a final newline leaves one). */
export function tsvRows(text: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line !== '') rows.push({ line: i + 1, fields: line.split('\t') });
  });
  return rows;
}

/** CSV rows; a quote left open at the end of the file is an error naming its line. */
export function csvRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let quoteLine = 0;
  let i = 0;
  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoteLine) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoteLine = 0;
      else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoteLine = line;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      endRow();
      rowLine = ++line;
    } else field += c;
    i++;
  }
  if (quoteLine) fail(file, `line ${quoteLine}: a quoted field is never closed`);
  if (field !== '' || fields.length) endRow();
  return rows;
}
