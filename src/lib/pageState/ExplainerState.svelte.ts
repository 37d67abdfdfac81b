/**
 * The state of the 2-D explainer page: the race the link describes, computed (one runScene per
 * run, recomputed synchronously for the runs a change touches, so a dragged slider redraws at
 * once), the anatomy of the chosen step, the step player, and verb methods that build the next
 * link.
 *
 * The link itself stays owned by the shell (App.svelte): every method here builds a new
 * PlaygroundLink and hands it to `onchange`; nothing is written to `location` from here.
 */
import { untrack } from 'svelte';
import { getLandscape, LANDSCAPES, type Landscape } from '../landscapes';
import { classifyEnd } from '../landscapes/basin';
import { scoreEnds, shiftedLandscape, testShift, type EndScore } from '../landscapes/testView';
import { evaluateGrid, heightScale, type FieldGrid, type HeightScale } from '../landscapes/grid';
import {
  ConfigError,
  familyOf,
  recipe,
  validateConfig,
  type FamilyName,
  type OptimizerConfig,
  type Preset,
} from '../optim/config';
import type { StepRecord, VecRun } from '../optim/run';
import type { Vec } from '../math/vec';
import { runScene } from '../trace/trace';
import { MAX_RUNS } from '../state/schema';
import { switchLandscape } from '../state/landscapeSwitch';
import {
  defaultStart,
  type PlaygroundLink,
  type RunSpec,
  type SceneSettings,
  type ViewSettings,
} from '../state/url';

/** Phases of one step's anatomy: 0 x_t, 1 s_t, 2 ρ-ball and δ_t, 3 g_t, 4 η_t (m, v, v̂), 5 x_{t+1}. */
export const PHASES = [
  'xₜ',
  'sₜ = ∇f(xₜ)',
  'δₜ on the ρ-ball',
  'gₜ = ∇f(xₜ + δₜ)',
  'ηₜ = 1/√v̂ₜ',
  'xₜ₊₁',
] as const;
/** The phases in words, for screen readers (a reader spells "x_{t+1}" out symbol by symbol). */
export const PHASE_WORDS = [
  'the current point x t',
  'the clean gradient s t',
  'the ascent delta t to the edge of the rho ball',
  'the gradient g t at the perturbed point',
  'the step sizes eta t',
  'the update to the next point x t plus 1',
] as const;
export const LAST_PHASE = PHASES.length - 1;

/** One run of the race, computed, with what the plots need. */
export interface RaceResult {
  run: VecRun;
  /** f(x_t) on the full landscape for t = 0 … T' (the minibatch loss is in run.steps) */
  loss: number[];
  /** cumulative gradient evaluations after t steps, t = 0 … T' (SAM-type steps cost two) */
  evals: number[];
  /** index into land.minima of where x_T' lies, or −1 (still travelling, on a ridge, diverged) */
  endsIn: number;
  /** the ConfigError or other message when the run could not be computed at all */
  error: string | null;
}

/** Everything the step anatomy draws for step t of one run. */
export interface Anatomy {
  run: number;
  t: number;
  config: OptimizerConfig;
  x: Vec;
  xNext: Vec;
  rec: StepRecord;
  mPrev: Vec;
  vPrev: Vec | null;
  vHatPrev: Vec | null;
  /** per coordinate: v̂_t > v_t, i.e. the running maximum holds an older, larger v */
  maxActive: boolean[];
}

/** Cells across the contour grid (the other side follows the domain's aspect ratio). */
export const GRID_NX = 160;
/** Cells across the 3-D mesh: software WebGL pays for every triangle on each redraw. */
export const MESH_N = 64;

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export class ExplainerState {
  readonly #getLink: () => PlaygroundLink;
  readonly #onchange: (next: PlaygroundLink) => void;

  /** the link as the shell holds it now */
  link = $derived.by(() => this.#getLink());

  // The link's parts: a new link shares the parts a change left alone (the shell holds it as a
  // plain value), so what reads only an unchanged part is not computed again.
  #scene = $derived(this.link.scene);
  #runList = $derived(this.link.runs);
  #view = $derived(this.link.view);

  land: Landscape = $derived(getLandscape(this.#scene.problem) ?? LANDSCAPES[0]);

  // A string key of what the race depends on: view-only changes (the anatomy phase while playing)
  // leave it equal, so the race is not recomputed for them.
  #raceKey = $derived(JSON.stringify([this.#scene, this.#runList]));

  // The last race's results by what each depends on: a dragged knob of one run recomputes that
  // run alone, and the others keep their (identical) results.
  // (a plain record, not state: reading it must not make `results` depend on it)
  #computed: Record<string, RaceResult> = {};

  /** one result per run of the race, recomputed on any change of the scene or a run */
  results: RaceResult[] = $derived.by(() => {
    void this.#raceKey;
    return untrack(() => {
      const [scene, runs] = [this.#scene, this.#runList];
      const keys = runs.map((r) => JSON.stringify([this.land.id, scene, r.config]));
      const results = runs.map(
        (r, i) => this.#computed[keys[i]] ?? computeRace(this.land, scene, [r])[0],
      );
      this.#computed = Object.fromEntries(keys.map((k, i) => [k, results[i]]));
      return results;
    });
  });

  grid: FieldGrid = $derived.by(() => {
    const [[x0, x1], [y0, y1]] = this.land.domain;
    return evaluateGrid(
      this.land,
      GRID_NX,
      Math.max(8, Math.round((GRID_NX * (y1 - y0)) / (x1 - x0))),
    );
  });
  mesh: FieldGrid = $derived(evaluateGrid(this.land, MESH_N, MESH_N));
  scale: HeightScale = $derived(heightScale(this.grid));

  /** the test view's shift u, seeded by the scene's seed (landscapes/testView.ts) */
  shift: [number, number] = $derived(testShift(this.land, this.#scene.seed));
  /** the landscape moved by u */
  testLand: Landscape = $derived(shiftedLandscape(this.land, this.shift));
  /** the test view sampled like the map's grid, only while the map shows it */
  testGrid: FieldGrid | null = $derived(
    this.#view.testView ? evaluateGrid(this.testLand, this.grid.nx, this.grid.ny) : null,
  );
  /** each run's end point on the training landscape and on the test view (null: no end point) */
  scores: (EndScore | null)[] = $derived(
    this.results.map((r) =>
      r.error || r.run.status !== 'ok'
        ? null
        : scoreEnds(this.land, this.shift, [r.run.xs[r.run.xs.length - 1]])[0],
    ),
  );

  /** where the race starts */
  x0: [number, number] = $derived(this.#scene.x0 ?? this.land.x0);

  anatomy: Anatomy | null = $derived(anatomyOf(this.results, this.#view));

  /** the step player (not part of the link: a shared link opens paused) */
  playing = $state(false);
  /** phases per second */
  speed = $state(1.5);
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(getLink: () => PlaygroundLink, onchange: (next: PlaygroundLink) => void) {
    this.#getLink = getLink;
    this.#onchange = onchange;
  }

  // ── building the next link ────────────────────────────────────────────────

  // The next link shares every part the change leaves alone (links are never changed in place),
  // so a view of an unchanged part sees the same object and is not redrawn; a deep copy of the
  // whole link per slider input also cost milliseconds.
  #emit(patch: Partial<PlaygroundLink>) {
    this.#onchange({ ...this.link, ...patch });
  }

  setScene(patch: Partial<SceneSettings>) {
    // A new landscape brings its recommended settings (start, steps, γ, ρ, loss axis), except
    // those the user changed (state/landscapeSwitch.ts).
    if (patch.problem !== undefined && patch.problem !== this.link.scene.problem) {
      const { problem, ...rest } = patch;
      const switched = switchLandscape($state.snapshot(this.link) as PlaygroundLink, problem);
      if (Object.keys(rest).length === 0) return this.#onchange(switched);
      this.#onchange({ ...switched, scene: { ...switched.scene, ...rest } });
      return;
    }
    const scene = { ...(this.link.scene as SceneSettings), ...patch };
    this.#emit({
      scene,
      view: {
        ...this.link.view,
        anatomyStep: Math.min(this.link.view.anatomyStep, (patch.steps ?? scene.steps) - 1),
      },
    });
  }

  setView(patch: Partial<ViewSettings>) {
    this.#emit({ view: { ...this.link.view, ...patch } });
  }

  /** The start a landscape opens with (null: its own), as a link without x0 has it. */
  startOf(problem: string): [number, number] | null {
    return defaultStart(problem);
  }

  /** Sets the start x₀, rounded to a thousandth of the domain so links stay short. */
  setStart(x: [number, number]) {
    this.setScene({ x0: snapPoint(this.land, x) });
  }

  #setRuns(runs: RunSpec[], view: Partial<ViewSettings> = {}) {
    const anatomyRun = Math.min(view.anatomyRun ?? this.link.view.anatomyRun, runs.length - 1);
    this.#emit({ runs, view: { ...this.link.view, ...view, anatomyRun } });
  }

  /** a new array of the runs, to change and emit (the runs themselves are replaced, not changed) */
  #runs(): RunSpec[] {
    return [...this.link.runs];
  }

  /**
   * Sets one knob of run i. Returns null when applied, or the optimizer's own message when the
   * config would be invalid (β2 = 1 with bias correction, …), in which case nothing changes.
   */
  setKnob<K extends keyof OptimizerConfig>(
    i: number,
    key: K,
    value: OptimizerConfig[K],
  ): string | null {
    const runs = this.#runs();
    const config = { ...runs[i].config, [key]: value };
    try {
      validateConfig(config);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    // a knob that turns the run into another member relabels it (ρ > 0 on SGD makes it SAM)
    runs[i] = { ...runs[i], family: familyOf(config), config };
    this.#setRuns(runs);
    return null;
  }

  /** Switches run i to another family member, keeping its γ (the knob a race usually shares). */
  setFamily(i: number, family: FamilyName) {
    const runs = this.#runs();
    const { preset, config } = runs[i];
    runs[i] = { family, preset, config: recipe(family, preset, { lr: config.lr }) };
    this.#setRuns(runs);
  }

  /** Switches run i's preset, keeping every knob the user changed from the old recipe. */
  setPreset(i: number, preset: Preset): string | null {
    const runs = this.#runs();
    const { family, preset: old, config } = runs[i];
    const before = recipe(family, old);
    const kept = Object.fromEntries(
      (Object.keys(config) as (keyof OptimizerConfig)[])
        .filter((k) => k !== 'biasCorrection' && k !== 'epsMode' && config[k] !== before[k])
        .map((k) => [k, config[k]]),
    ) as Partial<OptimizerConfig>;
    const next = recipe(family, preset, kept);
    try {
      validateConfig(next);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    runs[i] = { family, preset, config: next };
    this.#setRuns(runs);
    return null;
  }

  addRun(family: FamilyName) {
    const runs = this.#runs();
    if (runs.length >= MAX_RUNS) return;
    const lr = runs[runs.length - 1]?.config.lr ?? 0.05;
    runs.push({ family, preset: 'paper', config: recipe(family, 'paper', { lr }) });
    this.#setRuns(runs);
  }

  removeRun(i: number) {
    const runs = this.#runs();
    if (runs.length <= 1) return;
    runs.splice(i, 1);
    const ar = this.link.view.anatomyRun;
    this.#setRuns(runs, { anatomyRun: ar > i ? ar - 1 : ar === i ? 0 : ar });
  }

  // ── the step player ───────────────────────────────────────────────────────

  /** committed steps of the anatomy's run */
  get stepCount(): number {
    return this.results[this.anatomy?.run ?? 0]?.run.steps.length ?? 0;
  }

  /** Moves to (t, phase), clamped to the run. */
  goto(t: number, phase: number) {
    const last = Math.max(0, this.stepCount - 1);
    this.setView({
      anatomyStep: Math.min(last, Math.max(0, t)),
      anatomyPhase: Math.min(LAST_PHASE, Math.max(0, phase)),
    });
  }

  /** Next phase; after the update comes step t+1's first phase. Returns false at the run's end. */
  nextPhase(): boolean {
    const { anatomyPhase: p } = this.link.view;
    const t = this.anatomy?.t ?? 0;
    if (p < LAST_PHASE) this.goto(t, p + 1);
    else if (t + 1 < this.stepCount) this.goto(t + 1, 0);
    else return false;
    return true;
  }

  previousPhase() {
    const { anatomyPhase: p } = this.link.view;
    const t = this.anatomy?.t ?? 0;
    if (p > 0) this.goto(t, p - 1);
    else if (t > 0) this.goto(t - 1, LAST_PHASE);
  }

  /** One whole step forward (shown complete). */
  singleStep() {
    this.pause();
    const t = this.anatomy?.t ?? 0;
    this.goto(this.link.view.anatomyPhase === LAST_PHASE ? t + 1 : t, LAST_PHASE);
  }

  play() {
    if (this.playing) return;
    // Playing from the end of a run starts the run over.
    const t = this.anatomy?.t ?? 0;
    if (this.link.view.anatomyPhase === LAST_PHASE && t + 1 >= this.stepCount) this.goto(0, 0);
    this.playing = true;
    this.#schedule();
  }

  pause() {
    this.playing = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  #schedule() {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.playing) return;
      if (this.nextPhase()) this.#schedule();
      else this.playing = false;
    }, 1000 / this.speed);
  }

  dispose() {
    this.pause();
  }
}

/** A point on the map clamped to the domain and rounded to a thousandth of it (short links, readable numbers). */
export function snapPoint(land: Pick<Landscape, 'domain'>, x: [number, number]): [number, number] {
  const [[a, b], [c, d]] = land.domain;
  const digits = Math.max(0, Math.ceil(-Math.log10(Math.max(b - a, d - c) / 1000)));
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return [round(clamp(x[0], a, b), digits), round(clamp(x[1], c, d), digits)];
}

/** The anatomy of the step the view names (run and step clamped to the race), or null. */
export function anatomyOf(
  results: RaceResult[],
  view: Pick<ViewSettings, 'anatomyRun' | 'anatomyStep'>,
): Anatomy | null {
  const i = Math.min(view.anatomyRun, results.length - 1);
  const res = results[i];
  if (!res || res.run.steps.length === 0) return null;
  const t = Math.min(view.anatomyStep, res.run.steps.length - 1);
  const steps = res.run.steps;
  const config = res.run.config;
  const rec = steps[t];
  const initialVHat = config.adaptive
    ? rec.s.map(() => (config.epsMode === 'floor' ? config.eps * config.eps : 0))
    : null;
  return {
    run: i,
    t,
    config,
    x: res.run.xs[t],
    xNext: res.run.xs[t + 1],
    rec,
    mPrev: t > 0 ? steps[t - 1].m : rec.s.map(() => 0),
    vPrev: config.adaptive ? (t > 0 ? steps[t - 1].v! : rec.s.map(() => 0)) : null,
    vHatPrev: t > 0 ? steps[t - 1].vHat : initialVHat,
    maxActive: rec.vHat && rec.v ? rec.vHat.map((h, k) => h > rec.v![k]) : [],
  };
}

/** Runs every optimizer of a race on the scene (each through runScene, as `trace` does). */
export function computeRace(land: Landscape, scene: SceneSettings, runs: RunSpec[]): RaceResult[] {
  return runs.map((spec) => {
    try {
      const run = runScene(land, scene, spec.config);
      const loss = run.xs.map((x) => land.f(x));
      const evals = [0];
      for (const r of run.steps) evals.push(evals[evals.length - 1] + r.gradEvals);
      const endsIn = run.status === 'ok' ? classifyEnd(land, run.xs[run.xs.length - 1]) : -1;
      return { run, loss, evals, endsIn, error: null };
    } catch (e) {
      const x0 = scene.x0 ?? land.x0;
      const run: VecRun = {
        config: spec.config,
        status: 'diverged',
        xs: [[...x0]],
        steps: [],
        state: { k: 0, m: [0, 0], second: null },
        divergedAt: 0,
      };
      return {
        run,
        loss: [land.f([...x0])],
        evals: [0],
        endsIn: -1,
        error: e instanceof Error ? e.message : String(e),
      };
    }
  });
}
