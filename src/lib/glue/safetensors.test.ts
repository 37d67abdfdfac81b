import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureJson, ROBERTA_DIR } from '../testing/roberta';
import { blobSource, bytesSource } from './bytes';
import { GlueInputError } from './errors';
import { openSafetensors } from './safetensors';
import { openSafetensorsFile } from './safetensorsNode';

interface ExpectedTensor {
  name?: string;
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
  values?: number[];
  sum?: number;
  sumSq?: number;
  first?: number[];
  zeros?: number;
  subnormalsF16?: number;
}

describe('safetensors sample files (third-party, unaligned, 9 dtypes; expected.json decoded with Python struct)', () => {
  const expected = fixtureJson<{
    files: Record<
      string,
      {
        headerLength: number;
        dataStart: number;
        metadata: Record<string, string>;
        tensors: ExpectedTensor[];
      }
    >;
  }>('safetensors/expected.json');
  for (const [file, want] of Object.entries(expected.files)) {
    it(file, async () => {
      const st = await openSafetensors(bytesSource(fixtureBytes(`safetensors/${file}`), file));
      expect(st.headerLength).toBe(want.headerLength);
      expect(st.dataStart).toBe(want.dataStart);
      expect(st.metadata).toEqual(want.metadata);
      expect([...st.tensors.keys()].sort()).toEqual(want.tensors.map((t) => t.name).sort());
      for (const t of want.tensors) {
        const info = st.tensors.get(t.name!)!;
        expect([info.dtype, info.shape, info.dataOffsets]).toEqual([
          t.dtype,
          t.shape,
          t.data_offsets,
        ]);
        // Values are converted to float32 (U32 4294967293 rounds to 2^32 there).
        expect(Array.from(await st.read(t.name!))).toEqual(t.values!.map(Math.fround));
      }
    });
  }
});

describe('tiny RoBERTa weights (F32, F16 with subnormals, BF16) vs weights_expected.json', () => {
  const expected = fixtureJson<{
    files: {
      file: string;
      headerLength: number;
      dataStart: number;
      tensors: Record<string, ExpectedTensor>;
    }[];
  }>('tiny/weights_expected.json');
  for (const want of expected.files) {
    it(want.file, async () => {
      // The F32 file through a Node file handle, the others through a Blob (File.slice in the browser).
      const st =
        want.file === 'model.safetensors'
          ? await openSafetensorsFile(ROBERTA_DIR + 'tiny/' + want.file)
          : await openSafetensors(
              blobSource(
                new Blob([fixtureBytes('tiny/' + want.file) as Uint8Array<ArrayBuffer>]),
                want.file,
              ),
            );
      expect(st.headerLength).toBe(want.headerLength);
      expect(st.dataStart).toBe(want.dataStart);
      expect(st.metadata).toEqual({ format: 'pt' });
      expect([...st.tensors.keys()].sort()).toEqual(Object.keys(want.tensors).sort());
      for (const [name, t] of Object.entries(want.tensors)) {
        const info = st.tensors.get(name)!;
        expect([info.dtype, info.shape, info.dataOffsets], name).toEqual([
          t.dtype,
          t.shape,
          t.data_offsets,
        ]);
        const values = await st.read(name);
        let sum = 0;
        let sumSq = 0;
        let zeros = 0;
        let subnormals = 0;
        for (const x of values) {
          sum += x;
          sumSq += x * x;
          if (x === 0) zeros++;
          else if (Math.abs(x) < 2 ** -14) subnormals++;
        }
        expect(Math.abs(sum - t.sum!), `${name} sum`).toBeLessThan(1e-9 * (1 + Math.abs(t.sum!)));
        expect(Math.abs(sumSq - t.sumSq!), `${name} sumSq`).toBeLessThan(1e-9 * (1 + t.sumSq!));
        expect(Array.from(values.subarray(0, t.first!.length)), name).toEqual(t.first);
        if (t.zeros !== undefined) expect(zeros, `${name} zeros`).toBe(t.zeros);
        if (t.subnormalsF16 !== undefined)
          expect(subnormals, `${name} F16 subnormals`).toBe(t.subnormalsF16);
      }
      if ('close' in st.source) await (st.source as { close(): Promise<void> }).close();
    });
  }
});

/** A hand-made file: `header` as JSON text (unpadded), then `data`. */
function fileOf(header: string | object, data: Uint8Array, declaredLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(
    typeof header === 'string' ? header : JSON.stringify(header),
  );
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (dataOffsets: number[], shape = [2]) => ({
  dtype: 'F32',
  shape,
  data_offsets: dataOffsets,
});
const twoTensors = { a: f32([0, 8]), b: f32([8, 16]) };

async function messageOf(bytes: Uint8Array, read?: string): Promise<string> {
  try {
    const st = await openSafetensors(bytesSource(bytes, 'bad.safetensors'));
    if (read) await st.read(read);
  } catch (e) {
    expect(e).toBeInstanceOf(GlueInputError);
    return (e as Error).message;
  }
  throw new Error('accepted a malformed file');
}

describe('malformed safetensors: each rule of spec §1.2 has its own message', () => {
  it('accepts the well-formed base file these cases start from', async () => {
    const st = await openSafetensors(bytesSource(fileOf(twoTensors, new Uint8Array(16))));
    expect(Array.from(await st.read('b'))).toEqual([0, 0]);
  });

  const cases: [string, () => Uint8Array, RegExp, string?][] = [
    ['shorter than 8 bytes', () => new Uint8Array(5), /too short for a safetensors header length/],
    [
      'header length over 100,000,000',
      () => fileOf(twoTensors, new Uint8Array(16), 100_000_001n),
      /exceeds the limit of 100000000/,
    ],
    [
      'header length beyond the file',
      () => fileOf(twoTensors, new Uint8Array(16), 5000n),
      /runs beyond the end of the file/,
    ],
    ['header not JSON', () => fileOf('{"a": ', new Uint8Array(0)), /header is not JSON/],
    [
      'header JSON but an array',
      () => fileOf('[1, 2]', new Uint8Array(0)),
      /JSON but not an object \(found an array\)/,
    ],
    [
      'header JSON but a number',
      () => fileOf('42', new Uint8Array(0)),
      /JSON but not an object \(found number\)/,
    ],
    [
      'header with leading spaces',
      () => fileOf(' {}', new Uint8Array(0)),
      /does not start with '\{'/,
    ],
    [
      'truncated data',
      () => fileOf(twoTensors, new Uint8Array(12)),
      /file is truncated: the header describes 16 bytes of tensor data, the file holds 12/,
    ],
    [
      'offsets outside the buffer',
      () => fileOf({ a: f32([0, 8]), b: f32([24, 32]) }, new Uint8Array(16)),
      /tensor 'b'.*data_offsets \[24, 32\] lie outside the data buffer/,
    ],
    [
      'offsets reversed',
      () => fileOf({ a: f32([8, 0]) }, new Uint8Array(8)),
      /tensor 'a'.*data_offsets \[8,0\] is not a range/,
    ],
    [
      'overlapping tensors',
      () => fileOf({ a: f32([0, 8]), b: f32([4, 12]), c: f32([12, 16], [1]) }, new Uint8Array(16)),
      /tensors 'a' and 'b' overlap/,
    ],
    [
      'a gap between tensors',
      () => fileOf({ a: f32([0, 8]), b: f32([12, 20]) }, new Uint8Array(20)),
      /bytes 8–12 of the data buffer belong to no tensor/,
    ],
    [
      'trailing bytes',
      () => fileOf(twoTensors, new Uint8Array(20)),
      /the last 4 bytes of the file belong to no tensor/,
    ],
    [
      'shape × dtype ≠ byte length',
      () => fileOf({ a: f32([0, 8], [3]) }, new Uint8Array(8)),
      /tensor 'a'.*holds 8 bytes but shape \[3\] × F32 \(4 bytes\) needs 12/,
    ],
    [
      'metadata not string → string',
      () => fileOf({ __metadata__: { n: 1 }, ...twoTensors }, new Uint8Array(16)),
      /__metadata__ must map strings to strings/,
    ],
    [
      'unknown dtype of a tensor that is read',
      () => fileOf({ q: { dtype: 'Q4', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /tensor 'q'.*dtype 'Q4' cannot be read/,
      'q',
    ],
  ];
  for (const [what, make, message, read] of cases) {
    it(what, async () => expect(await messageOf(make(), read)).toMatch(message));
  }

  it('an unknown dtype in a tensor nobody reads does not stop the others', async () => {
    const bytes = fileOf(
      { q: { dtype: 'Q4', shape: [2], data_offsets: [0, 3] }, a: f32([3, 11]) },
      new Uint8Array(11),
    );
    // The F32 tensor starts 3 bytes into the data, so its floats are unaligned.
    new DataView(bytes.buffer).setFloat32(bytes.length - 11 + 3 + 4, 1.5, true);
    const st = await openSafetensors(bytesSource(bytes));
    expect(Array.from(await st.read('a'))).toEqual([0, 1.5]);
  });
});

describe('range reads (spec §1.2: a large file is never held twice)', () => {
  it('reads the header, then each tensor by its own range, never the whole file', async () => {
    const bytes = fixtureBytes('tiny/model.safetensors');
    const inner = bytesSource(bytes, 'model.safetensors');
    const reads: number[] = [];
    const counting = {
      ...inner,
      read: (offset: number, length: number) => (reads.push(length), inner.read(offset, length)),
    };
    const st = await openSafetensors(counting);
    expect(reads).toEqual([8, st.headerLength]);
    for (const name of st.tensors.keys()) await st.read(name);
    const largest = Math.max(
      ...[...st.tensors.values()].map((t) => t.dataOffsets[1] - t.dataOffsets[0]),
    );
    expect(Math.max(...reads)).toBe(largest); // the word embedding, 50265 × 32 × 4 bytes
    expect(largest).toBe(50265 * 32 * 4);
    expect(reads.reduce((s, n) => s + n, 0)).toBe(bytes.length); // each byte read once
  });
});
