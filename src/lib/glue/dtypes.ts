/**
 * safetensors dtypes and their conversion to float32 (glue.md §1.2: F32, F16 and BF16 → float32).
 * The other numeric dtypes decode too (the sample files hold them); I64/U64 go through Number.
 * Byte order is little-endian, as the format prescribes, read with explicit byte arithmetic or a
 * DataView, so that the start of the data need not be aligned.
 */

/** Bytes per element of every dtype the safetensors format defines. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** The dtypes a model weight may have. */
export const FLOAT_DTYPES: readonly string[] = ['F32', 'F16', 'BF16'];

let f16Table: Float32Array | null = null;

/** IEEE half → float for all 65,536 bit patterns, subnormals included (never flushed to 0). */
function halfTable(): Float32Array {
  if (f16Table) return f16Table;
  f16Table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    f16Table[h] =
      exponent === 0
        ? sign * fraction * 2 ** -24 // subnormal: 0.fraction × 2^-14
        : exponent === 31
          ? fraction
            ? NaN
            : sign * Infinity
          : sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return f16Table;
}

/**
 * Decodes `numel` elements of `dtype` from `bytes` (any alignment) into a new Float32Array.
 * Returns null for a dtype that has no float conversion here (F8 types, unknown names).
 */
export function decodeToFloat32(
  bytes: Uint8Array,
  dtype: string,
  numel: number,
): Float32Array | null {
  const out = new Float32Array(numel);
  if (dtype === 'F32') {
    // One copy into the aligned output buffer; works for any byteOffset of `bytes`.
    new Uint8Array(out.buffer).set(bytes.subarray(0, numel * 4));
    return out;
  }
  if (dtype === 'F16') {
    const table = halfTable();
    for (let i = 0; i < numel; i++) out[i] = table[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
    return out;
  }
  if (dtype === 'BF16') {
    // bfloat16 is the upper half of a float32: u16 << 16.
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < numel; i++) bits[i] = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16;
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const get = integerReader(view, dtype);
  if (!get) return null;
  for (let i = 0; i < numel; i++) out[i] = get(i);
  return out;
}

function integerReader(view: DataView, dtype: string): ((i: number) => number) | null {
  switch (dtype) {
    case 'BOOL':
      return (i) => (view.getUint8(i) ? 1 : 0);
    case 'U8':
      return (i) => view.getUint8(i);
    case 'I8':
      return (i) => view.getInt8(i);
    case 'U16':
      return (i) => view.getUint16(2 * i, true);
    case 'I16':
      return (i) => view.getInt16(2 * i, true);
    case 'U32':
      return (i) => view.getUint32(4 * i, true);
    case 'I32':
      return (i) => view.getInt32(4 * i, true);
    case 'I64':
      return (i) => Number(view.getBigInt64(8 * i, true));
    case 'U64':
      return (i) => Number(view.getBigUint64(8 * i, true));
    case 'F64':
      return (i) => view.getFloat64(8 * i, true);
    default:
      return null;
  }
}
