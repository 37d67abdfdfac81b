/**
 * Stand-ins for the browser in the Hub download tests (unit tests only): an in-memory directory
 * that behaves as OPFS does (a writable's bytes go to a swap copy and become the file's only on
 * close; a handle renames with move; a missing file is a NotFoundError), and a fake Hub that
 * answers Range requests as huggingface.co's CDN does (206 with Content-Range, 416 past the end).
 */
import type { CacheDir, CacheFileHandle } from '../glue/hubCache';

const notFound = () => new DOMException('no such file', 'NotFoundError');

/** An OPFS-like directory in memory; `files` shows what is on "disk". */
export function memoryDir() {
  const files = new Map<string, Uint8Array>();
  let clock = 0;
  const modified = new Map<string, number>();
  const handle = (start: string): CacheFileHandle => {
    let name = start;
    return {
      getFile: async () => {
        const bytes = files.get(name);
        if (!bytes) throw notFound();
        return Object.assign(new Blob([bytes.slice()]), { lastModified: modified.get(name) });
      },
      createWritable: async ({ keepExistingData }) => {
        let swap = keepExistingData ? files.get(name)!.slice() : new Uint8Array(0);
        let at = 0;
        return {
          seek: async (p) => {
            at = p;
          },
          write: async (bytes) => {
            const next = new Uint8Array(Math.max(swap.length, at + bytes.length));
            next.set(swap);
            next.set(bytes, at);
            swap = next;
            at += bytes.length;
          },
          close: async () => {
            files.set(name, swap);
            modified.set(name, ++clock);
          },
        };
      },
      move: async (to) => {
        files.set(to, files.get(name)!);
        modified.set(to, modified.get(name)!);
        files.delete(name);
        name = to;
      },
    };
  };
  const dir: CacheDir = {
    keys: async function* () {
      yield* [...files.keys()];
    },
    getFileHandle: async (name, o) => {
      if (!files.has(name)) {
        if (!o?.create) throw notFound();
        files.set(name, new Uint8Array(0));
        modified.set(name, ++clock);
      }
      return handle(name);
    },
    removeEntry: async (name) => {
      if (!files.delete(name)) throw notFound();
    },
  };
  return { dir, files };
}

/**
 * A fake Hub serving `files` by URL with Range; `breakAt`: request numbers whose body breaks;
 * `api`: the JSON answers of Hub API URLs.
 */
export function fakeHub(
  files: Record<string, Uint8Array>,
  breakAt: number[] = [],
  api: Record<string, unknown> = {},
) {
  const requests: string[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    if (url.includes('/api/')) {
      requests.push(`api ${url}`);
      return url in api
        ? new Response(JSON.stringify(api[url]), { status: 200 })
        : new Response('{"error":"Repository not found"}', { status: 404 });
    }
    const range = (init.headers as Record<string, string>).Range;
    requests.push(`${url.split('/').pop()} ${range}`);
    const n = requests.length;
    const body = files[url];
    if (!body) return new Response('not found', { status: 404 });
    const m = /^bytes=(\d+)-(\d+)$/.exec(range)!;
    const start = Number(m[1]);
    if (start >= body.length) return new Response(null, { status: 416 });
    const end = Math.min(Number(m[2]), body.length - 1);
    const part = body.slice(start, end + 1);
    return {
      status: 206,
      url,
      headers: new Headers({ 'content-range': `bytes ${start}-${end}/${body.length}` }),
      arrayBuffer: async () => {
        if (breakAt.includes(n)) throw new TypeError('network error: connection reset');
        return part.buffer;
      },
    } as unknown as Response;
  };
  return { fetch, requests };
}
