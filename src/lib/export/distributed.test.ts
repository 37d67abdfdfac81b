/**
 * The exported lab script under DistributedDataParallel (gloo on loopback, processes started
 * with RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT as torchrun would): 2 workers with half the batch
 * each follow 1 process with the whole batch (float64, 1e-10 relative), dropout included; only
 * rank 0 prints; m-sharpness ("local") is a different run; a batch the workers cannot split
 * equally is refused; a peer that never joins ends the process with one line, not a hang.
 */
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPythonSources } from './nodeSources';
import { runPython, tempFile, type PythonResult } from './pythonRunner';
import { exportTorch } from './script';

const LINK =
  '#v=1&page=lab&lab.p=7&lab.d=32&lab.h=2&lab.mlp=16&lab.L=1&lab.b=8&lab.drop=0.1&lab.steps=3' +
  '&lab.r0=adasam&lab.r0.preset=torch&lab.r0.lr=0.01&lab.r1=sam&lab.r1.lr=0.1';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

type Losses = { runs: { label: string; losses: number[] }[] };

let single: PythonResult;
let workers: PythonResult[];
let local: PythonResult[];
let uneven: PythonResult;
let alone: PythonResult;

/**
 * Starts `world` ranks on a fresh loopback port. A rendezvous can be lost through no fault of the
 * script (the probed port is taken again before rank 0 binds it, or a peer dies on a loaded
 * machine): the script's own rendezvous limit (--dist-timeout) then ends the attempt, which is
 * tried again on a new port, at most three times; the last attempt's results are returned.
 */
async function distributed(script: string, world: number, extra: string[] = []) {
  let results: PythonResult[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = String(await freePort());
    results = await Promise.all(
      Array.from({ length: world }, (_, rank) =>
        runPython(
          [script, '--dtype', 'float64', '--dist-timeout', '60', ...extra],
          {
            RANK: String(rank),
            LOCAL_RANK: String(rank),
            WORLD_SIZE: String(world),
            MASTER_ADDR: '127.0.0.1',
            MASTER_PORT: port,
          },
          90_000,
        ),
      ),
    );
    if (results.every((r) => r.code === 0)) break;
  }
  return results;
}

beforeAll(async () => {
  const r = await exportTorch(LINK, { sources: readPythonSources() });
  if (!r.ok) throw new Error(r.message);
  const script = tempFile(r.filename, r.text);
  const lonePort = String(await freePort());
  [single, workers, uneven, alone] = await Promise.all([
    runPython([script, '--dtype', 'float64'], {}, 200_000),
    distributed(script, 2),
    runPython([script], { RANK: '0', WORLD_SIZE: '3', MASTER_ADDR: '127.0.0.1', MASTER_PORT: '1' }),
    // rank 0 of two, whose peer never starts
    runPython(
      [script, '--dist-timeout', '3'],
      { RANK: '0', WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: lonePort },
      120_000,
    ),
  ]);
  local = await distributed(script, 2, ['--perturbation', 'local']);
}, 900_000);

describe('DistributedDataParallel export', () => {
  it('2 processes follow 1 process with the global batch (float64, 1e-10)', () => {
    for (const w of [single, ...workers]) {
      expect(w.stderr).toBe('');
      expect(w.code).toBe(0);
    }
    const one = JSON.parse(single.stdout) as Losses;
    const two = JSON.parse(workers[0].stdout) as Losses;
    expect(two.runs.map((r) => r.label)).toEqual(['AdaSAM', 'SAM']);
    expect(one.runs.map((r) => r.losses.length)).toEqual([3, 3]);
    two.runs.forEach((run, k) =>
      run.losses.forEach((loss, t) => {
        const b = one.runs[k].losses[t];
        expect(Math.abs(loss - b), `${run.label} step ${t}`).toBeLessThanOrEqual(
          1e-10 * Math.abs(b),
        );
      }),
    );
  });

  it('only rank 0 prints', () => {
    expect(workers[1].stdout).toBe('');
    expect(local[1].stdout).toBe('');
  });

  it('per-worker perturbation (m-sharpness) is a different run from the second step on', () => {
    expect(local.map((w) => w.code)).toEqual([0, 0]);
    const global = JSON.parse(workers[0].stdout) as Losses;
    const perWorker = JSON.parse(local[0].stdout) as Losses;
    // step 0's loss is taken before any update: the same; then the SAM runs part
    expect(perWorker.runs[1].losses[0]).toBe(global.runs[1].losses[0]);
    expect(Math.abs(perWorker.runs[1].losses[2] - global.runs[1].losses[2])).toBeGreaterThan(1e-9);
  });

  it('refuses a batch not divisible by the number of processes', () => {
    expect(uneven.code).toBe(2);
    expect(uneven.stdout).toBe('');
    expect(uneven.stderr).toMatch(/^export: the batch size 8 is not divisible by the 3 processes/);
    expect(uneven.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('ends with one line when a peer never joins (bounded rendezvous)', () => {
    expect(alone.code).toBe(1);
    expect(alone.stdout).toBe('');
    expect(alone.stderr).toMatch(
      /^export: the 2 processes did not all join at 127\.0\.0\.1:\d+ within 3 s \(/,
    );
    expect(alone.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
