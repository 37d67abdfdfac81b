/**
 * A ZIP archive of files without compression (method 0, "stored"), so a checkpoint folder downloads
 * as one file that every unzip tool and Python's zipfile read. The files' contents are never
 * copied: the archive is a Blob of the headers and the files' own Blobs (OPFS files stay on disk);
 * only the CRC-32 each header needs reads every file once, by chunks. PKWARE APPNOTE 6.3.x §4.3;
 * names in UTF-8 (flag bit 11). No ZIP64: a file or archive of 4 GiB or more is refused.
 */
export interface ZipEntry {
  name: string;
  blob: Blob;
}

const LIMIT = 0xffffffff;
const CHUNK = 8 * 1024 * 1024;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, the polynomial ZIP uses) of bytes, continuing from `crc`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

async function crcOf(blob: Blob, onBytes: (n: number) => void): Promise<number> {
  let crc = 0;
  for (let at = 0; at < blob.size; at += CHUNK) {
    const bytes = new Uint8Array(await blob.slice(at, at + CHUNK).arrayBuffer());
    crc = crc32(bytes, crc);
    onBytes(bytes.length);
  }
  return crc;
}

/** Fixed DOS date and time (1980-01-01 00:00): the archive's bytes depend on the files only. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** The archive of `entries`; `onProgress` gets the bytes read for the CRCs and their total. */
export async function zipBlob(
  entries: readonly ZipEntry[],
  onProgress?: (done: number, total: number) => void,
): Promise<Blob> {
  const total = entries.reduce((a, e) => a + e.blob.size, 0);
  let done = 0;
  const parts: BlobPart[] = [];
  const central: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    if (e.blob.size >= LIMIT || offset >= LIMIT)
      throw new RangeError(
        `${e.name}: the archive would pass 4 GiB: download the files one by one`,
      );
    const crc = await crcOf(e.blob, (n) => onProgress?.((done += n), total));
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(6, 0x0800, true); // UTF-8 names
    l.setUint16(8, 0, true); // stored
    l.setUint16(10, DOS_TIME, true);
    l.setUint16(12, DOS_DATE, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, e.blob.size, true);
    l.setUint32(22, e.blob.size, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const dir = new Uint8Array(46 + name.length);
    const d = new DataView(dir.buffer);
    d.setUint32(0, 0x02014b50, true);
    d.setUint16(4, 20, true); // made by: 2.0, MS-DOS attributes
    d.setUint16(6, 20, true);
    d.setUint16(8, 0x0800, true);
    d.setUint16(10, 0, true);
    d.setUint16(12, DOS_TIME, true);
    d.setUint16(14, DOS_DATE, true);
    d.setUint32(16, crc, true);
    d.setUint32(20, e.blob.size, true);
    d.setUint32(24, e.blob.size, true);
    d.setUint16(28, name.length, true);
    d.setUint32(42, offset, true);
    dir.set(name, 46);
    parts.push(local, e.blob);
    central.push(dir);
    offset += local.length + e.blob.size;
  }
  const dirSize = central.reduce((a, c) => a + c.length, 0);
  if (offset + dirSize >= LIMIT)
    throw new RangeError('the archive would pass 4 GiB: download the files one by one');
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, entries.length, true);
  v.setUint16(10, entries.length, true);
  v.setUint32(12, dirSize, true);
  v.setUint32(16, offset, true);
  return new Blob([...parts, ...central, end], { type: 'application/zip' });
}
