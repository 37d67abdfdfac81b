/**
 * Random access to the bytes of a file wherever it lives (glue.md §1.2: "read large files by ranges,
 * never the whole file twice in memory"). Browser-safe: the Node file handle lives in
 * safetensorsNode.ts so that bundles never import node:fs.
 */
export interface ByteSource {
  /** File size in bytes. */
  readonly size: number;
  /** A name for messages (file name or URL). */
  readonly name: string;
  /** `length` bytes from `offset`; rejects when the range is not inside the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

function checkRange(source: ByteSource, offset: number, length: number): void {
  if (!(offset >= 0 && length >= 0 && offset + length <= source.size)) {
    throw new RangeError(
      `${source.name}: read of ${length} bytes at ${offset} is outside the file (${source.size} bytes)`,
    );
  }
}

/** A source over bytes already in memory; reads return views (no copy). */
export function bytesSource(data: ArrayBuffer | Uint8Array, name = 'buffer'): ByteSource {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const source: ByteSource = {
    size: bytes.byteLength,
    name,
    read: (offset, length) => {
      checkRange(source, offset, length);
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
  return source;
}

/** A source over a Blob or File: each read is a `slice`, so only the asked range is loaded. */
export function blobSource(blob: Blob, name = (blob as File).name ?? 'blob'): ByteSource {
  const source: ByteSource = {
    size: blob.size,
    name,
    read: async (offset, length) => {
      checkRange(source, offset, length);
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
  return source;
}
