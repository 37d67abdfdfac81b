/**
 * Running Python from the unit tests: Debian's /usr/bin/python3 with python3-torch (the
 * `python3` first on PATH may be another one without torch). scripts/check-torch.mjs checks it
 * before the tests start; these tests are never skipped.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = process.env.PYTHON_TORCH || '/usr/bin/python3';

export interface PythonResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs python with `args`; `env` is added to a minimal environment (no inherited RANK etc.). */
export function runPython(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: tmpdir(),
        OMP_NUM_THREADS: '1',
        // nothing written into the source tree (__pycache__ beside python/*.py)
        PYTHONDONTWRITEBYTECODE: '1',
        ...env,
      },
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Writes `text` to a fresh temporary file and returns its path. */
export function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'adasam-export-')), name);
  writeFileSync(path, text);
  return path;
}

/**
 * Runs each script as __main__ in one Python process (tests/python/run_scripts.py) and returns
 * what each printed on stdout.
 */
export async function runScripts(
  jobs: { script: string; argv?: string[] }[],
  runner: string,
): Promise<{ result: PythonResult; outputs: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'adasam-runs-'));
  const withOut = jobs.map((j, i) => ({ ...j, out: join(dir, `out${i}.txt`) }));
  const spec = join(dir, 'jobs.json');
  writeFileSync(spec, JSON.stringify(withOut));
  const result = await runPython([runner, spec]);
  const outputs = withOut.map((j) => {
    try {
      return readFileSync(j.out, 'utf8');
    } catch {
      return '';
    }
  });
  return { result, outputs };
}
