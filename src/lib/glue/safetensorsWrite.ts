/**
 * safetensors writer for checkpoints (issue 8, item 6): float32 tensors with Hugging Face names,
 * `__metadata__ {"format": "pt"}` (what `transformers` expects), the header padded with spaces to a
 * multiple of 8 so that every tensor is aligned. Returns the file as parts (header, then each
 * tensor's bytes without a copy) for `new Blob(parts)` or a streamed write; `concatParts` joins them.
 */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export function safetensorsParts(
  tensors: NamedTensor[],
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array[] {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of sorted) {
    const numel = t.shape.reduce((p, d) => p * d, 1);
    if (numel !== t.data.length) {
      throw new RangeError(
        `tensor '${t.name}': shape [${t.shape.join(', ')}] needs ${numel} values, got ${t.data.length}`,
      );
    }
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * numel] };
    offset += 4 * numel;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).byteLength % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const head = new Uint8Array(8 + headerBytes.byteLength);
  new DataView(head.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  head.set(headerBytes, 8);
  // Float32Array bytes are little-endian on every platform JS runs on, as the format requires.
  return [
    head,
    ...sorted.map((t) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)),
  ];
}

export function concatParts(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export const writeSafetensors = (
  tensors: NamedTensor[],
  metadata?: Record<string, string>,
): Uint8Array => concatParts(safetensorsParts(tensors, metadata));
