/**
 * GLUE data files (spec glue.md §3): GLUE TSV, CSV with a header, and Hugging Face parquet
 * (hyparquet). Rows with the wrong number of columns are skipped and counted; labels map by id or
 * by name; a label of −1 (test splits) marks a row that is never trained or scored on. A file whose
 * columns fit no task, or a label outside the task's set, is an error naming the column or row.
 */
import { parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { bytesSource, type ByteSource } from './bytes';
import { csvRows, tsvRows, type Row } from './csv';
import { fail, GlueInputError } from './errors';
import { TASK_NAMES, TASKS, type TaskSpec } from './tasks';

export interface GlueExample {
  a: string;
  b: string | null;
  /** Class id, or the score for STS-B; −1 when the file has no label (test split). */
  label: number;
}

export interface GlueData {
  task: TaskSpec;
  file: string;
  examples: GlueExample[];
  /** Rows skipped for a wrong column count, and the first few of their line numbers. */
  skipped: number;
  skippedLines: number[];
  /** Examples with a label (≠ −1). */
  labelled: number;
}

export type FileKind = 'tsv' | 'csv' | 'parquet';

/** The label of `value` in `column` at `where`: an id, a name, or −1; anything else is an error. */
export function parseLabel(task: TaskSpec, value: unknown, where: string, column: string): number {
  const text =
    typeof value === 'bigint'
      ? value.toString()
      : typeof value === 'number'
        ? String(value)
        : value;
  if (typeof text !== 'string')
    fail(where, `column '${column}': label ${String(value)} is not a number or a name`);
  const trimmed = text.trim();
  if (trimmed === '-1') return -1;
  if (!task.labels) {
    const score = Number(trimmed);
    if (trimmed === '' || !(score >= 0 && score <= 5))
      fail(where, `column '${column}': score ${JSON.stringify(text)} is not a number in 0–5`);
    return score;
  }
  const byName = task.labels.indexOf(trimmed);
  if (byName >= 0) return byName;
  const id = Number(trimmed);
  if (trimmed !== '' && Number.isInteger(id) && id >= 0 && id < task.labels.length) return id;
  fail(
    where,
    `column '${column}': unknown label ${JSON.stringify(text)} (${task.name} labels: ${task.labels.map((l, i) => `${i} ${l}`).join(', ')})`,
  );
}

function finish(
  task: TaskSpec,
  file: string,
  examples: GlueExample[],
  skippedLines: number[],
): GlueData {
  return {
    task,
    file,
    examples,
    skipped: skippedLines.length,
    skippedLines: skippedLines.slice(0, 10),
    labelled: examples.filter((e) => e.label !== -1).length,
  };
}

/** Rows whose header names the columns: text columns required, label column optional (test split). */
function fromHeaded(task: TaskSpec, rows: Row[], names: string[][], file: string): GlueData {
  if (!rows.length) fail(file, 'empty file (no header line)');
  const header = rows[0].fields.map((f) => f.trim());
  const layout = names.find((n) => n.slice(0, -1).every((c) => header.includes(c)));
  if (!layout) {
    const missing = names[0].slice(0, -1).find((c) => !header.includes(c));
    fail(file, `no column '${missing}' for ${task.name} (columns: ${header.join(', ')})`);
  }
  const text = layout.slice(0, -1).map((c) => header.indexOf(c));
  const labelName = layout[layout.length - 1];
  const label = header.indexOf(labelName);
  const examples: GlueExample[] = [];
  const skipped: number[] = [];
  for (const { line, fields } of rows.slice(1)) {
    if (fields.length !== header.length) skipped.push(line);
    else {
      examples.push({
        a: fields[text[0]],
        b: text.length > 1 ? fields[text[1]] : null,
        label: label < 0 ? -1 : parseLabel(task, fields[label], `${file}: line ${line}`, labelName),
      });
    }
  }
  return finish(task, file, examples, skipped);
}

/** A GLUE TSV file of `task` (columns of §3; CoLA has no header except in its test split). */
export function readTsv(task: TaskSpec, text: string, file = 'data.tsv'): GlueData {
  const rows = tsvRows(text);
  const layout = task.tsv;
  if (layout.header) return fromHeaded(task, rows, [[...layout.text, layout.label]], file);
  if (rows[0]?.fields[0] === 'index') return fromHeaded(task, rows, [['sentence', 'label']], file);
  const examples: GlueExample[] = [];
  const skipped: number[] = [];
  for (const { line, fields } of rows) {
    if (fields.length !== layout.columns) skipped.push(line);
    else {
      const where = `${file}: line ${line}`;
      examples.push({
        a: fields[layout.text[0]],
        b: null,
        label: parseLabel(task, fields[layout.label], where, `column ${layout.label + 1}`),
      });
    }
  }
  if (!examples.length && rows.length)
    fail(file, `no row has the ${layout.columns} tab-separated columns of ${task.name}`);
  return finish(task, file, examples, skipped);
}

/** A CSV file with a header: Hugging Face column names (text columns and `label`), or GLUE TSV names. */
export function readCsv(task: TaskSpec, text: string, file = 'data.csv'): GlueData {
  const names = [[...task.parquetText, 'label']];
  if (task.tsv.header) names.push([...task.tsv.text, task.tsv.label]);
  return fromHeaded(task, csvRows(text, file), names, file);
}

/** hyparquet reads ranges through this view of a ByteSource (the file is never read whole twice). */
const asyncBuffer = (source: ByteSource) => ({
  byteLength: source.size,
  slice: async (start: number, end = source.size) =>
    (await source.read(start, end - start)).slice().buffer,
});

/** A Hugging Face GLUE parquet file (`nyu-mll/glue`): text columns of §3 and `label`. */
export async function readParquet(
  task: TaskSpec,
  data: ByteSource | ArrayBuffer | Uint8Array,
  file?: string,
): Promise<GlueData> {
  const source =
    data instanceof ArrayBuffer || data instanceof Uint8Array
      ? bytesSource(data, file ?? 'data.parquet')
      : data;
  const name = file ?? source.name;
  const buffer = asyncBuffer(source);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    fail(name, `not a parquet file (${(e as Error).message})`);
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const missing = task.parquetText.find((c) => !columns.includes(c));
  if (missing)
    fail(name, `no column '${missing}' for ${task.name} (columns: ${columns.join(', ')})`);
  const hasLabel = columns.includes('label');
  const wanted = hasLabel ? [...task.parquetText, 'label'] : task.parquetText;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: buffer, metadata, columns: wanted });
  } catch (e) {
    fail(name, `cannot read parquet data (${(e as Error).message})`);
  }
  const [columnA, columnB] = task.parquetText;
  const examples = rows.map((row, i) => {
    const where = `${name}: row ${i + 1}`;
    const text = (column: string) => {
      const value = row[column];
      if (typeof value !== 'string') fail(where, `column '${column}' is not text`);
      return value;
    };
    return {
      a: text(columnA),
      b: columnB ? text(columnB) : null,
      label: hasLabel ? parseLabel(task, row.label, where, 'label') : -1,
    };
  });
  return finish(task, name, examples, []);
}

/** The kind of a file from its name: .tsv, .csv or .parquet. */
export function kindOf(file: string): FileKind | null {
  const m = /\.(tsv|csv|parquet)$/i.exec(file);
  return m ? (m[1].toLowerCase() as FileKind) : null;
}

/**
 * Reads a data file of `task`; with `task` null, the task whose columns fit (an error when none or
 * several do). `kind` defaults to the file's extension.
 */
export async function readTaskFile(
  task: TaskSpec | null,
  data: string | ArrayBuffer | Uint8Array | ByteSource,
  file: string,
  kind: FileKind | null = kindOf(file),
): Promise<GlueData> {
  if (!kind) fail(file, 'unknown file type (expected .tsv, .csv or .parquet)');
  const read = async (t: TaskSpec) => {
    if (kind === 'parquet') {
      if (typeof data === 'string') fail(file, 'a parquet file must be given as bytes');
      return readParquet(t, data, file);
    }
    const text = typeof data === 'string' ? data : new TextDecoder().decode(await bytesOf(data));
    return kind === 'tsv' ? readTsv(t, text, file) : readCsv(t, text, file);
  };
  if (task) return read(task);
  const fits: GlueData[] = [];
  for (const name of TASK_NAMES) {
    try {
      const d = await read(TASKS[name]);
      if (d.examples.length) fits.push(d);
    } catch (e) {
      if (!(e instanceof GlueInputError)) throw e;
    }
  }
  // A task whose label column is present beats one that only finds the text columns.
  const best = fits.some((d) => d.labelled) ? fits.filter((d) => d.labelled) : fits;
  if (best.length === 1) return best[0];
  if (!best.length)
    fail(file, 'its columns fit no GLUE task (CoLA files have no header: name the task)');
  fail(file, `its columns fit ${best.map((d) => d.task.name).join(', ')}: name the task`);
}

async function bytesOf(data: ArrayBuffer | Uint8Array | ByteSource): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data.read(0, data.size);
}

/** The labelled examples, for training or scoring; an error when there are none (a test split). */
export function labelledExamples(data: GlueData): GlueExample[] {
  const rows = data.examples.filter((e) => e.label !== -1);
  if (!rows.length)
    fail(data.file, `no labelled rows (a test split cannot be used for training or scoring)`);
  return rows;
}

/** 'matched' / 'mismatched' for an MNLI dev or test file, from its name. */
export function mnliSplit(file: string): 'matched' | 'mismatched' | undefined {
  return /mismatched/i.test(file) ? 'mismatched' : /matched/i.test(file) ? 'matched' : undefined;
}
