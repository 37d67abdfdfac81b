/**
 * safetensors reader (spec glue.md §1.2). Layout: 8-byte little-endian header length N, N bytes of
 * UTF-8 JSON (an object, maybe right-padded with spaces), then the data buffer. Every rule of §1.2
 * has its own message; tensors are read one by one by their byte range, so a 330 MB file is never
 * held twice.
 */
import type { ByteSource } from './bytes';
import { DTYPE_BYTES, decodeToFloat32 } from './dtypes';
import { fail } from './errors';
import { isPlainObject } from './json';

/** §1.2: a header longer than this is rejected before anything is allocated for it. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Number of elements, product(shape). */
  numel: number;
  /** [begin, end) relative to the start of the data buffer. */
  dataOffsets: [number, number];
}

export interface SafetensorsIndex {
  /** Tensors by name, in header order. */
  tensors: Map<string, TensorInfo>;
  /** `__metadata__`, string → string ({} when absent). */
  metadata: Record<string, string>;
  headerLength: number;
  /** File offset of the data buffer: 8 + headerLength (not necessarily aligned). */
  dataStart: number;
}

export interface SafetensorsFile extends SafetensorsIndex {
  source: ByteSource;
  /** The tensor's values as a new Float32Array (F32, F16, BF16 and the integer dtypes). */
  read(name: string): Promise<Float32Array>;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Parses and checks the header of a file of `fileSize` bytes (§1.2 rejections). */
export function parseHeader(
  headerBytes: Uint8Array,
  fileSize: number,
  file: string,
): SafetensorsIndex {
  const headerLength = headerBytes.byteLength;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    fail(file, 'safetensors header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(file, `safetensors header is not JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(json)) {
    const found = Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json;
    fail(file, `safetensors header is JSON but not an object (found ${found})`);
  }
  if (!text.startsWith('{')) fail(file, "safetensors header does not start with '{'");
  const metadata = readMetadata(json.__metadata__, file);
  const bufferLength = fileSize - 8 - headerLength;
  const tensors = new Map<string, TensorInfo>();
  for (const [name, entry] of Object.entries(json)) {
    if (name === '__metadata__') continue;
    tensors.set(name, readEntry(name, entry, file));
  }
  checkCoverage([...tensors.values()], bufferLength, file);
  return { tensors, metadata, headerLength, dataStart: 8 + headerLength };
}

function readMetadata(raw: unknown, file: string): Record<string, string> {
  if (raw === undefined) return {};
  if (!isPlainObject(raw) || Object.values(raw).some((v) => typeof v !== 'string')) {
    fail(file, 'safetensors __metadata__ must map strings to strings');
  }
  return raw as Record<string, string>;
}

function readEntry(name: string, entry: unknown, file: string): TensorInfo {
  const where = `${file}: tensor '${name}'`;
  if (!isPlainObject(entry)) fail(where, 'header entry is not an object');
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') fail(where, 'dtype is missing or not a string');
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(where, `shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isCount) ||
    offsets[0] > offsets[1]
  ) {
    fail(
      where,
      `data_offsets ${JSON.stringify(offsets)} is not a range [begin, end) with 0 ≤ begin ≤ end`,
    );
  }
  const numel = shape.reduce((p: number, d: number) => p * d, 1);
  const size = DTYPE_BYTES[dtype];
  // An unknown dtype is only an error for a tensor that is used (checked by read and planWeights).
  if (size !== undefined && offsets[1] - offsets[0] !== numel * size) {
    fail(
      where,
      `holds ${offsets[1] - offsets[0]} bytes but shape [${shape.join(', ')}] × ${dtype} (${size} bytes) needs ${numel * size}`,
    );
  }
  return { name, dtype, shape: shape as number[], numel, dataOffsets: [offsets[0], offsets[1]] };
}

/** §1.2: the ranges must lie inside the buffer, not overlap, and cover it exactly. */
function checkCoverage(tensors: TensorInfo[], bufferLength: number, file: string): void {
  const sorted = [...tensors].sort(
    (a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  const needed = Math.max(0, ...sorted.map((t) => t.dataOffsets[1]));
  if (needed > bufferLength) {
    // Ranges that tile [0, needed) describe a consistent file whose end is missing.
    const tiled = sorted.every(
      (t, i) => t.dataOffsets[0] === (i ? sorted[i - 1].dataOffsets[1] : 0),
    );
    if (tiled) {
      fail(
        file,
        `file is truncated: the header describes ${needed} bytes of tensor data, the file holds ${bufferLength}`,
      );
    }
    const outside = sorted.find((t) => t.dataOffsets[1] > bufferLength)!;
    fail(
      `${file}: tensor '${outside.name}'`,
      `data_offsets [${outside.dataOffsets.join(', ')}] lie outside the data buffer (${bufferLength} bytes)`,
    );
  }
  let covered = 0;
  let previous: TensorInfo | null = null;
  for (const t of sorted) {
    const [begin, end] = t.dataOffsets;
    if (begin < covered)
      fail(
        file,
        `tensors '${previous!.name}' and '${t.name}' overlap (bytes ${begin}–${covered} of the data)`,
      );
    if (begin > covered)
      fail(file, `bytes ${covered}–${begin} of the data buffer belong to no tensor`);
    covered = end;
    previous = t;
  }
  if (covered !== bufferLength) {
    fail(
      file,
      `the last ${bufferLength - covered} bytes of the file belong to no tensor (data buffer ${bufferLength} bytes, tensors cover ${covered})`,
    );
  }
}

/** Reads the header of `source` (two small reads) and returns an index plus a per-tensor reader. */
export async function openSafetensors(source: ByteSource): Promise<SafetensorsFile> {
  const file = source.name;
  if (source.size < 8)
    fail(file, `file has ${source.size} bytes, too short for a safetensors header length`);
  const head = await source.read(0, 8);
  const n = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES))
    fail(file, `safetensors header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const headerLength = Number(n);
  if (8 + headerLength > source.size) {
    fail(
      file,
      `safetensors header length ${headerLength} runs beyond the end of the file (${source.size} bytes)`,
    );
  }
  const index = parseHeader(await source.read(8, headerLength), source.size, file);
  return {
    ...index,
    source,
    read: async (name) => {
      const info = index.tensors.get(name);
      if (!info) fail(file, `no tensor named '${name}'`);
      const [begin, end] = info.dataOffsets;
      const bytes = await source.read(index.dataStart + begin, end - begin);
      const values =
        DTYPE_BYTES[info.dtype] === undefined
          ? null
          : decodeToFloat32(bytes, info.dtype, info.numel);
      if (!values)
        fail(`${file}: tensor '${name}'`, `dtype '${info.dtype}' cannot be read as numbers here`);
      return values;
    },
  };
}
