/**
 * Node-only ByteSource over a file handle (spec glue.md §1.2: read by ranges). Kept apart from
 * safetensors.ts so that the browser bundle never imports node:fs.
 */
import { open } from 'node:fs/promises';
import type { ByteSource } from './bytes';
import { openSafetensors, type SafetensorsFile } from './safetensors';

export interface FileSource extends ByteSource {
  close(): Promise<void>;
}

export async function fileSource(path: string): Promise<FileSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    name: path,
    close: () => handle.close(),
    read: async (offset, length) => {
      if (!(offset >= 0 && length >= 0 && offset + length <= size)) {
        throw new RangeError(
          `${path}: read of ${length} bytes at ${offset} is outside the file (${size} bytes)`,
        );
      }
      const out = new Uint8Array(length);
      for (let done = 0; done < length;) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new RangeError(`${path}: file shrank while reading`);
        done += bytesRead;
      }
      return out;
    },
  };
}

/** Opens a safetensors file on disk; call `source.close()` when done reading. */
export async function openSafetensorsFile(
  path: string,
): Promise<SafetensorsFile & { source: FileSource }> {
  const source = await fileSource(path);
  try {
    return { ...(await openSafetensors(source)), source };
  } catch (e) {
    await source.close();
    throw e;
  }
}
