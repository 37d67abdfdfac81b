/**
 * `npm run bench -- --torch`: the benchmark transformer's AdaSAM step on WASM in headless Chromium
 * (as the lab starts it) side by side with PyTorch on the CPU, 2 threads and 1 thread, on the same
 * model (scripts/torch_reference.py, a copy of ../shared/bench/torch_reference.py: nn.MultiheadAttention
 * blocks of the same sizes, SAM around Adam(amsgrad=True)). Issue 10's target: WASM in Chromium no
 * slower than PyTorch with 2 threads. On a machine shared with other work the wall clock drifts by
 * more than the difference, so the three alternate, round after round, and each round's ratio is
 * taken within the round; the figures are the medians over the rounds.
 *
 * PyTorch is `$PYTHON_TORCH`, else Debian's `/usr/bin/python3` (python3-torch), run without
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (the script's advice for torch's best figure).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchWasmBrowser } from './benchBrowser';
import { median } from './median';

const run = promisify(execFile);

/** What scripts/torch_reference.py prints (ms per step, medians, the lower of its two rounds). */
export interface TorchFigure {
  amsgrad_ms: number;
  adasam_ms: number;
  fwd_bwd_ms: number;
  threads: number;
  torch: string;
}

export interface TorchRound {
  wasmAdasamMs: number | null;
  torch2AdasamMs: number;
  torch1AdasamMs: number;
  load: number;
}

export interface TorchSideBySide {
  rounds: TorchRound[];
  /** medians over the rounds, ms per AdaSAM step */
  wasmAdasamMs: number | null;
  torch2AdasamMs: number;
  torch1AdasamMs: number;
  /** median over the rounds of wasmAdasamMs / torch2AdasamMs within a round (target ≤ 1) */
  wasmOverTorch2: number | null;
  torch: string;
}

async function torchFigure(threads: number): Promise<TorchFigure> {
  const python = process.env.PYTHON_TORCH || '/usr/bin/python3';
  const script = fileURLToPath(new URL('./torch_reference.py', import.meta.url));
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const { stdout } = await run(python, [script, String(threads)], { env, timeout: 600_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as TorchFigure;
}

async function loadAverage(): Promise<number> {
  const { loadavg } = await import('node:os');
  return Number(loadavg()[0].toFixed(2));
}

export async function benchTorch(rounds = 3, steps = 11, warmup = 3): Promise<TorchSideBySide> {
  const done: TorchRound[] = [];
  let torch = '';
  for (let r = 0; r < rounds; r++) {
    const load = await loadAverage();
    const wasm = await benchWasmBrowser(steps, warmup);
    const torch2 = await torchFigure(2);
    const torch1 = await torchFigure(1);
    torch = torch2.torch;
    done.push({
      wasmAdasamMs: wasm.status === 'ok' ? wasm.adasamMs : null,
      torch2AdasamMs: torch2.adasam_ms,
      torch1AdasamMs: torch1.adasam_ms,
      load,
    });
  }
  const measured = done.filter((r) => r.wasmAdasamMs !== null);
  return {
    rounds: done,
    wasmAdasamMs: measured.length ? median(measured.map((r) => r.wasmAdasamMs!)) : null,
    torch2AdasamMs: median(done.map((r) => r.torch2AdasamMs)),
    torch1AdasamMs: median(done.map((r) => r.torch1AdasamMs)),
    wasmOverTorch2: measured.length
      ? median(measured.map((r) => r.wasmAdasamMs! / r.torch2AdasamMs))
      : null,
    torch,
  };
}
