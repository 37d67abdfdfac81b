/**
 * Benchmark of the "where does it end?" map: basinMap for a 128 × 128 grid × 200 steps with
 * AdaSAM (DEFAULT_RACE's entrant) on `wells`, single thread, median of a few runs. The target
 * is ≤ 2 s; in the browser the map is further split over up to 4 workers.
 * Run: npx tsx -e "import('./scripts/benchBasin.ts').then(async m => console.log(await m.benchBasin()))"
 */
import { basinMap, gridStart } from '../src/lib/landscapes/basin';
import { runVec } from '../src/lib/optim/run';
import { makeObjective } from '../src/lib/landscapes/stochastic';
import { getLandscape } from '../src/lib/landscapes';
import { DEFAULT_RACE, raceConfigs } from '../src/lib/landscapes/race';

export interface BasinBench {
  /** median wall time of one whole map, ms */
  gridMs: number;
  /** every run's time, ms */
  runsMs: number[];
  nx: number;
  ny: number;
  steps: number;
  /** optimizer steps per map, nx·ny·steps (fewer are taken when runs diverge) */
  optimizerSteps: number;
  /** gridMs / optimizerSteps, in ns */
  nsPerStep: number;
  /** the generic runVec on a 16 × 16 corner of the same grid, for comparison, in ns per step */
  runVecNsPerStep: number;
  /** share of the grid that ends in each class ('-1' = none) */
  classShare: Record<string, number>;
  targetMs: number;
  withinTarget: boolean;
}

export async function benchBasin({
  nx = 128,
  ny = 128,
  steps = 200,
  repeats = 5,
} = {}): Promise<BasinBench> {
  const landscape = getLandscape('wells');
  if (!landscape) throw new Error('wells is not registered');
  const config =
    raceConfigs(DEFAULT_RACE)[DEFAULT_RACE.runs.findIndex((r) => r.family === 'adasam')];
  // warm-up so the timings measure optimised code
  basinMap({ landscape, config, nx: 16, ny: 16, steps });
  const runsMs: number[] = [];
  let classes: Int8Array = new Int8Array(0);
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    classes = basinMap({ landscape, config, nx, ny, steps });
    runsMs.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  const gridMs = sorted[Math.floor(sorted.length / 2)];
  const optimizerSteps = nx * ny * steps;
  const classShare: Record<string, number> = {};
  for (const c of classes) classShare[c] = (classShare[c] ?? 0) + 1 / classes.length;
  // the same work through the generic core, on a 16 × 16 sample of starts
  const objective = makeObjective(landscape, null);
  for (let i = 0; i < 64; i++) runVec(config, landscape.x0, steps, objective);
  const t0 = performance.now();
  for (let j = 0; j < 16; j++)
    for (let i = 0; i < 16; i++)
      runVec(config, gridStart(landscape.domain, nx, ny, i, j), steps, objective);
  const runVecNsPerStep = Math.round(((performance.now() - t0) * 1e6) / (256 * steps));
  const targetMs = 2000;
  return {
    gridMs: Math.round(gridMs),
    runsMs: runsMs.map(Math.round),
    nx,
    ny,
    steps,
    optimizerSteps,
    nsPerStep: Math.round((gridMs * 1e6) / optimizerSteps),
    runVecNsPerStep,
    classShare,
    targetMs,
    withinTarget: gridMs <= targetMs,
  };
}
