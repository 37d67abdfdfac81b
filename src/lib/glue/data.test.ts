import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureJson, fixtureText } from '../testing/roberta';
import { readCsv, readParquet, readTaskFile, readTsv, labelledExamples, mnliSplit } from './data';
import { GlueInputError } from './errors';
import { TASKS, taskByName, numLabels } from './tasks';

interface GoldenExamples {
  examples: { text_a: string; text_b: string }[];
  labels: number[];
}

describe('GLUE TSV files (spec §3)', () => {
  it('MRPC train.tsv (CRLF): the 6 rows of the tiny golden batch, no \\r kept', () => {
    const g = fixtureJson<GoldenExamples>('tiny/golden.json');
    const d = readTsv(TASKS.MRPC, fixtureText('glue/MRPC/train.tsv'), 'train.tsv');
    expect(d.examples.map((e) => [e.a, e.b])).toEqual(g.examples.map((e) => [e.text_a, e.text_b]));
    expect(d.examples.map((e) => e.label)).toEqual(g.labels);
    expect([d.skipped, d.labelled]).toEqual([0, 6]);
    expect(d.examples.some((e) => /\r/.test(e.a + e.b))).toBe(false);
  });

  it('STS-B train.tsv (CRLF): columns by header name, float scores', () => {
    const g = fixtureJson<GoldenExamples>('tiny/stsb/golden.json');
    const d = readTsv(TASKS['STS-B'], fixtureText('glue/STS-B/train.tsv'));
    expect(d.examples.slice(0, 6).map((e) => [e.a, e.b, e.label])).toEqual(
      g.examples.map((e, i) => [e.text_a, e.text_b, g.labels[i]]),
    );
  });

  it('MRPC dev.tsv and dev.csv (quoted fields, "" escapes, string labels) hold the same rows', () => {
    const tsv = readTsv(TASKS.MRPC, fixtureText('glue/MRPC/dev.tsv'));
    const csv = readCsv(TASKS.MRPC, fixtureText('glue/MRPC/dev.csv'));
    expect(csv.examples).toEqual(tsv.examples);
    expect(tsv.examples.length).toBe(6); // 7 lines, one of them the header
    expect(csv.examples[1].b).toBe(
      'His wife said he was " 100 percent behind George Bush " and looked forward to using his years of training in the war .',
    );
  });

  it('skips and counts rows with a wrong column count', () => {
    const text =
      'index\tsentence1\tsentence2\tlabel\n0\tA\tB\tentailment\n1\tonly two\n2\tC\tD\tnot_entailment\textra\n3\tE\tF\tnot_entailment\n';
    const d = readTsv(TASKS.RTE, text, 'dev.tsv');
    expect(d.examples).toEqual([
      { a: 'A', b: 'B', label: 0 },
      { a: 'E', b: 'F', label: 1 },
    ]);
    expect([d.skipped, d.skippedLines]).toEqual([2, [3, 4]]);
  });

  it('reads CoLA without a header, MNLI by header names with string labels, a test split as −1', () => {
    const cola = readTsv(
      TASKS.CoLA,
      "gj04\t1\t\tOur friends won't buy this analysis.\ngj04\t0\t*\tThey drank the pub.\n",
    );
    expect(cola.examples).toEqual([
      { a: "Our friends won't buy this analysis.", b: null, label: 1 },
      { a: 'They drank the pub.', b: null, label: 0 },
    ]);
    const mnli = readTsv(
      TASKS.MNLI,
      'index\tpromptID\tsentence1\tsentence2\tlabel1\tgold_label\n0\t1\tP\tH\tneutral\tcontradiction\n',
    );
    expect(mnli.examples).toEqual([{ a: 'P', b: 'H', label: 2 }]);
    const test = readTsv(TASKS.QNLI, 'index\tquestion\tsentence\n0\tQ?\tS.\n');
    expect([test.examples, test.labelled]).toEqual([[{ a: 'Q?', b: 'S.', label: -1 }], 0]);
    expect(() => labelledExamples(test)).toThrow(
      /no labelled rows \(a test split cannot be used for training or scoring\)/,
    );
  });

  it('names the column that is missing, and the row and column of an unknown label', () => {
    const sts = fixtureText('glue/STS-B/dev.tsv');
    expect(() => readTsv(TASKS.MRPC, sts, 'dev.tsv')).toThrow(GlueInputError);
    expect(() => readTsv(TASKS.MRPC, sts, 'dev.tsv')).toThrow(
      /dev\.tsv: no column '#1 String' for MRPC \(columns: index, genre/,
    );
    const bad = 'index\tsentence1\tsentence2\tlabel\n0\tA\tB\tentailment\n1\tC\tD\tmaybe\n';
    expect(() => readTsv(TASKS.RTE, bad, 'rte.tsv')).toThrow(
      /rte\.tsv: line 3: column 'label': unknown label "maybe" \(RTE labels: 0 entailment, 1 not_entailment\)/,
    );
    expect(() =>
      readTsv(TASKS['STS-B'], 'sentence1\tsentence2\tscore\nA\tB\t7\n', 's.tsv'),
    ).toThrow(/line 2: column 'score': score "7" is not a number in 0–5/);
    expect(() => readTsv(TASKS.CoLA, 'a\tb\n')).toThrow(
      /no row has the 4 tab-separated columns of CoLA/,
    );
    expect(() => readCsv(TASKS.MRPC, 'label,sentence1,sentence2\n1,"open,x\n', 'x.csv')).toThrow(
      /x\.csv: line 2: a quoted field is never closed/,
    );
  });
});

describe('Hugging Face parquet (hyparquet; fixtures written by hyparquet-writer from the TSV fixtures)', () => {
  it('MRPC validation: int64 labels arrive as BigInt and match the TSV rows', async () => {
    const d = await readParquet(
      TASKS.MRPC,
      fixtureBytes('glue/parquet/mrpc-validation.parquet'),
      'mrpc.parquet',
    );
    expect(d.examples).toEqual(readTsv(TASKS.MRPC, fixtureText('glue/MRPC/dev.tsv')).examples);
  });
  it('STS-B validation: float labels', async () => {
    const d = await readParquet(
      TASKS['STS-B'],
      fixtureBytes('glue/parquet/stsb-validation.parquet'),
    );
    const tsv = readTsv(TASKS['STS-B'], fixtureText('glue/STS-B/dev.tsv'));
    expect(d.examples.map((e) => [e.a, e.b])).toEqual(tsv.examples.map((e) => [e.a, e.b]));
    d.examples.forEach((e, i) => expect(e.label).toBeCloseTo(tsv.examples[i].label, 6)); // stored as float32
  });
  it('a test split (labels −1) gives no labelled rows', async () => {
    const d = await readParquet(TASKS.MRPC, fixtureBytes('glue/parquet/mrpc-test.parquet'));
    expect([d.examples.length, d.labelled]).toEqual([6, 0]);
  });
  it('a parquet file of another task names the missing column; bytes that are not parquet say so', async () => {
    await expect(
      readParquet(TASKS.QQP, fixtureBytes('glue/parquet/mrpc-validation.parquet'), 'm.parquet'),
    ).rejects.toThrow(
      /m\.parquet: no column 'question1' for QQP \(columns: sentence1, sentence2, label, idx\)/,
    );
    await expect(
      readParquet(TASKS.MRPC, new TextEncoder().encode('not parquet at all'), 'x.parquet'),
    ).rejects.toThrow(/x\.parquet: not a parquet file/);
  });
});

describe('readTaskFile: kind from the name, task from the columns', () => {
  it('finds MRPC and STS-B from their TSV headers and reads CSV and parquet', async () => {
    expect((await readTaskFile(null, fixtureText('glue/MRPC/dev.tsv'), 'dev.tsv')).task.name).toBe(
      'MRPC',
    );
    expect(
      (await readTaskFile(null, fixtureBytes('glue/STS-B/dev.tsv'), 'dev.tsv')).task.name,
    ).toBe('STS-B');
    expect(
      (await readTaskFile(TASKS.MRPC, fixtureText('glue/MRPC/dev.csv'), 'dev.csv')).examples.length,
    ).toBe(6);
    expect(
      (
        await readTaskFile(
          TASKS.MRPC,
          fixtureBytes('glue/parquet/mrpc-validation.parquet'),
          'v.parquet',
        )
      ).labelled,
    ).toBe(6);
  });
  it('asks for the task when several fit, and says when none does', async () => {
    await expect(
      readTaskFile(null, fixtureBytes('glue/parquet/mrpc-validation.parquet'), 'v.parquet'),
    ).rejects.toThrow(/its columns fit MRPC, STS-B, RTE: name the task/);
    await expect(readTaskFile(null, 'foo\tbar\n1\t2\n', 'x.tsv')).rejects.toThrow(
      /x\.tsv: its columns fit no GLUE task/,
    );
    await expect(readTaskFile(null, 'x', 'x.txt')).rejects.toThrow(/x\.txt: unknown file type/);
  });
});

describe('task table', () => {
  it('declares the eight tasks with their label counts', () => {
    expect(Object.keys(TASKS)).toEqual([
      'CoLA',
      'SST-2',
      'MRPC',
      'STS-B',
      'QQP',
      'MNLI',
      'QNLI',
      'RTE',
    ]);
    expect(Object.values(TASKS).map(numLabels)).toEqual([2, 2, 2, 1, 2, 3, 2, 2]);
    expect([
      taskByName('sst2')?.name,
      taskByName('sts-b')?.name,
      taskByName('mnli')?.name,
      taskByName('wnli'),
    ]).toEqual(['SST-2', 'STS-B', 'MNLI', null]);
    expect([
      mnliSplit('dev_matched.tsv'),
      mnliSplit('validation_mismatched-00000-of-00001.parquet'),
      mnliSplit('train.tsv'),
    ]).toEqual(['matched', 'mismatched', undefined]);
  });
});
