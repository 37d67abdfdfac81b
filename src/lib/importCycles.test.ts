/**
 * House rule: no import cycles between the folders under src/lib. A folder may only use folders
 * below it (math ← optim ← landscapes ← lab ← state ← trace ← tf ← worker ← pageState), so each
 * can be read, tested and replaced without the ones above it. This test reads every import of
 * every source file (static, `export … from`, dynamic `import()`, `new URL(…, import.meta.url)`)
 * with TypeScript's own pre-processor and fails on any cycle of folder-level edges.
 *
 * Test files are left out: a test sits above the folder it tests and may borrow problems or
 * fixtures from anywhere (optim's tests run on landscapes).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const LIB = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The module specifiers one file imports, including dynamic imports and worker URLs. */
export function importsOf(source: string): string[] {
  const script = source.includes('<script')
    ? [...source.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
    : source;
  const info = ts.preProcessFile(script, true, true);
  const urls = [...script.matchAll(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g)];
  return [...info.importedFiles.map((f) => f.fileName), ...urls.map((m) => m[1])];
}

/** The first folder under src/lib a path lies in, or null outside src/lib. */
function folderOf(path: string): string | null {
  const rel = relative(LIB, path);
  if (rel.startsWith('..') || !rel.includes(sep)) return null;
  return rel.split(sep)[0];
}

/** Folder → the folders it imports, with one example file per edge for the message. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(LIB)) {
    const from = folderOf(file);
    if (!from) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const to = folderOf(resolve(dirname(file), spec.replace(/\?.*$/, '')));
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, relative(LIB, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every elementary cycle reachable by depth-first search, each as [a, b, …, a]; [] when acyclic. */
export function findCycles(graph: ReadonlyMap<string, ReadonlyMap<string, string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      cycles.push([...path.slice(at), node]);
      return;
    }
    if (seen.has(node)) return;
    for (const next of graph.get(node)?.keys() ?? []) visit(next, [...path, node]);
    seen.add(node);
  };
  for (const node of graph.keys()) visit(node, []);
  return cycles;
}

describe('folder-level imports under src/lib', () => {
  it('finds every kind of import', () => {
    const src = [
      "import { a } from '../x/a';",
      "import type {\n  B,\n  C,\n} from '../y/b';",
      "export { d } from './d';",
      "const m = await import('../z/m');",
      "new Worker(new URL('./w.worker.ts', import.meta.url), { type: 'module' });",
      "import alice from '../../static/a.txt?raw';",
    ].join('\n');
    expect(importsOf(src).sort()).toEqual(
      ['../x/a', '../y/b', './d', '../z/m', './w.worker.ts', '../../static/a.txt?raw'].sort(),
    );
  });

  it('reports a cycle in a hand-made graph and none in a layered one', () => {
    const g = (edges: [string, string][]) => {
      const out = new Map<string, Map<string, string>>();
      for (const [a, b] of edges) out.set(a, (out.get(a) ?? new Map()).set(b, `${a}/f.ts`));
      return out;
    };
    expect(
      findCycles(
        g([
          ['tf', 'worker'],
          ['worker', 'tf'],
        ]),
      ),
    ).toEqual([['tf', 'worker', 'tf']]);
    expect(
      findCycles(
        g([
          ['state', 'trace'],
          ['trace', 'optim'],
          ['optim', 'state'],
        ]),
      ),
    ).toEqual([['state', 'trace', 'optim', 'state']]);
    expect(
      findCycles(
        g([
          ['tf', 'lab'],
          ['worker', 'tf'],
          ['worker', 'lab'],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const graph = folderGraph();
    // the walk must see the real tree, or an empty graph would pass
    expect(graph.get('worker')?.has('tf')).toBe(true);
    const described = findCycles(graph).map((cycle) =>
      cycle
        .slice(1)
        .map((to, i) => `${cycle[i]} → ${to} (${graph.get(cycle[i])!.get(to)})`)
        .join(', '),
    );
    expect(described).toEqual([]);
  });
});
