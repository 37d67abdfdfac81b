/**
 * Browser benchmark of the 2-D explainer, against a running server (dev or preview), with a race
 * of 6 optimizers × 500 steps and every view on (contour map, 3-D view, step anatomy, loss
 * charts, race editor):
 *   dragRedrawsPerS  while the ρ slider is dragged with the mouse (real input events through
 *                    Chromium's input pipeline, a move every 16 ms sent without waiting for the
 *                    page), painted frames per second in which the map's trajectories changed
 *                    (a MutationObserver on their paths and a rAF counter, installed by this
 *                    script: the app carries no hook for it)
 *   dragCpuMsPerRedraw  the page's main-thread CPU time during that drag (thread time of its
 *                    tasks in a Chrome trace) per map redraw: what a redraw costs, whatever else
 *                    runs on the machine; dragLoad, the 1-minute load average before and after
 *   sliderToFrameMs  median time from a key press on the ρ slider (its event's timestamp) to the
 *                    next painted frame, each press from a settled page
 *   basinMapMs       median time of one "where does it end?" map, 128×128 starts × 200 steps,
 *                    in the page's basin workers
 * "Painted" is measured as the first task after the next requestAnimationFrame, which runs after
 * that frame's rendering. Uses Debian's Chromium via playwright-core (no downloaded browser).
 * Run against the dev server or the test build (its ?bench=1 hook is not in production builds):
 *   npx tsx scripts/benchExplainer.ts http://127.0.0.1:5181/
 * Run it under `flock /work/heavy.lock` where several sessions share the machine.
 */
import { loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { median } from './median';

/** The explainer's browser figures (README, "Benchmarks", defines each key). */
export interface ExplainerBench {
  dragRedrawsPerS: number;
  sliderToFrameMs: number;
  basinMapMs: number;
  /** the page's main-thread CPU time per map redraw during the measured drag (ms) */
  dragCpuMsPerRedraw: number;
  /** the machine's 1-minute load average before and after the measured drag */
  dragLoad: [number, number];
}

const ARGS = [
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-sandbox',
];

/** 6 optimizers × 500 steps on wells; run 5 (AdaSAM) is the one whose ρ slider moves. */
const RACE =
  '#v=1&T=500&ar=5&view=both&r0=sgd&r0.lr=0.05&r1=samm&r1.lr=0.05&r2=sam&r2.lr=0.05&r3=amsgrad&r3.lr=0.05&r4=adam&r4.lr=0.05&r5=adasam&r5.lr=0.05&r5.rho=0.15';
const SLIDER = '[data-testid="r5-rho-slider"]';

interface DragCounter {
  changed: number;
  frames: number;
  inputs: number;
  t0: number;
  on: boolean;
}

/** A drag's figures: map redraws per second, and the page's main-thread CPU time per redraw. */
interface DragFigures {
  redrawsPerS: number;
  cpuMsPerRedraw: number;
  inputs: number;
  redraws: number;
}

/** The one Chrome trace event this bench reads: a task of some thread, with its CPU time. */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * CPU time (ms) of the page's main thread in a Chrome trace: the thread time of its top-level
 * tasks. The page is the renderer whose main thread ran the most tasks (the others are workers'
 * and service workers' processes, nearly idle during a drag).
 */
export function mainThreadCpuMs(events: TraceEvent[]): number {
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const cpu = new Map<string, { ms: number; n: number }>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || !mains.has(thread)) continue;
    const c = cpu.get(thread) ?? { ms: 0, n: 0 };
    c.ms += (e.tdur ?? 0) / 1000;
    c.n++;
    cpu.set(thread, c);
  }
  return [...cpu.values()].reduce((a, b) => (b.n > a.n ? b : a), { ms: 0, n: 0 }).ms;
}

/** One mouse move every DRAG_INPUT_MS: a 60 Hz mouse, sent without waiting for the page. */
const DRAG_INPUT_MS = 16;

/**
 * Drags the ρ thumb back and forth over 10–45 % of its track (ρ 0.1–0.45) for `ms` and returns
 * the painted frames per second in which the map's trajectories changed, and the page's
 * main-thread CPU time per such frame (a Chrome trace of the drag).
 *
 * The mouse moves go out at a fixed rate, one every DRAG_INPUT_MS, each sent without waiting for
 * the page to take it (Chromium merges the moves that arrive within one frame, as it does a real
 * mouse's). Waiting for each, as Playwright's mouse.move does, would measure the time until the
 * page acknowledges a move (on a loaded machine 160–600 ms per move: one redraw per move at most),
 * not how often the page redraws while the mouse keeps moving. The count comes from a
 * MutationObserver on the trajectories' paths and a requestAnimationFrame counter, both installed
 * by this script (the app carries no hook for it).
 */
async function dragRedraws(page: Page, ms: number, minInputs = 2): Promise<DragFigures> {
  const slider = page.locator(SLIDER);
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  const at = (f: number) => box.x + box.width * f;
  const cdp = await page.context().newCDPSession(page);
  const mouse = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', x: number) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      x,
      y,
      button: 'left',
      buttons: type === 'mouseReleased' ? 0 : 1,
      clickCount: type === 'mouseMoved' ? 0 : 1,
    });
  await mouse('mouseMoved', at(0.15));
  await mouse('mousePressed', at(0.15));
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  // 'toplevel' alone: the tasks and their thread time, at little cost to the page
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['toplevel', '__metadata'] },
  });
  await page.evaluate((sel) => {
    const d: DragCounter = { changed: 0, frames: 0, inputs: 0, t0: performance.now(), on: true };
    (globalThis as unknown as { __drag: DragCounter }).__drag = d;
    let dirty = false;
    new MutationObserver(() => (dirty = true)).observe(
      document.querySelector('[data-testid="trajectories"]')!,
      { attributes: true, attributeFilter: ['d'], subtree: true, childList: true },
    );
    document.querySelector(sel)!.addEventListener('input', () => d.inputs++);
    const tick = () => {
      if (!d.on) return;
      d.frames++;
      if (dirty) d.changed++;
      dirty = false;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, SLIDER);
  const sent: Promise<unknown>[] = [];
  const start = Date.now();
  let x = at(0.15);
  for (let k = 0; Date.now() - start < ms; k++) {
    const phase = (k % 80) / 40; // 0 … 2: there and back in 80 moves
    x = at(0.1 + 0.35 * (phase <= 1 ? phase : 2 - phase));
    sent.push(mouse('mouseMoved', x));
    await new Promise((resolve) => setTimeout(resolve, DRAG_INPUT_MS));
  }
  const d = await page.evaluate(() => {
    const d = (globalThis as unknown as { __drag: DragCounter }).__drag;
    d.on = false;
    return { ...d, elapsed: performance.now() - d.t0 };
  });
  const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await traced;
  await Promise.all(sent);
  await mouse('mouseReleased', x);
  await cdp.detach();
  if (d.inputs < minInputs) throw new Error(`the drag moved the ρ slider only ${d.inputs} times`);
  return {
    redrawsPerS: (1000 * d.changed) / d.elapsed,
    cpuMsPerRedraw: mainThreadCpuMs(events) / Math.max(1, d.changed),
    inputs: d.inputs,
    redraws: d.changed,
  };
}

/** Resolves once the basin maps of the current race are computed (nothing else is pending then). */
async function basinDone(page: Page): Promise<void> {
  await page.getByTestId('basin-status').getByText('done').waitFor({ timeout: 120_000 });
}

/** Key presses on the ρ slider (→ and ← in turn), each timed from its event to the painted frame. */
async function sliderToFrameMs(page: Page, samples: number): Promise<number> {
  await page.locator(SLIDER).focus();
  await page.evaluate((sel) => {
    const out: number[] = [];
    (globalThis as unknown as { __press: number[] }).__press = out;
    let t0 = 0;
    const slider = document.querySelector(sel)!;
    slider.addEventListener('keydown', (e) => (t0 = e.timeStamp), { capture: true });
    slider.addEventListener('input', () =>
      requestAnimationFrame(() => setTimeout(() => out.push(performance.now() - t0), 0)),
    );
  }, SLIDER);
  for (let i = 0; i < samples + 3; i++) {
    await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
    await page.waitForFunction(
      (n) => (globalThis as unknown as { __press: number[] }).__press.length >= n,
      i + 1,
    );
    // a settled page: the basin maps start 300 ms after a change, after the deferred redraws
    await basinDone(page);
  }
  // the first presses warm up the JIT
  const times = await page.evaluate(() => (globalThis as unknown as { __press: number[] }).__press);
  return median(times.slice(3));
}

export async function benchExplainer(opts: {
  baseURL: string;
  samples?: number;
  dragMs?: number;
}): Promise<ExplainerBench> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // tsx compiles this file with esbuild's keepNames, which wraps the named functions inside
    // the page functions below in a `__name` helper that only exists in Node
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.goto(new URL('?bench=1' + RACE, opts.baseURL).href);
    await page.getByTestId('trajectory').nth(5).waitFor();
    // let the first basin maps finish so they do not share the measured frames
    await basinDone(page);

    const sliderMs = await sliderToFrameMs(page, opts.samples ?? 25);
    // a short warm-up drag, then the measured one
    await dragRedraws(page, 1000, 1);
    await basinDone(page);
    const loadBefore = loadavg()[0];
    const drag = await dragRedraws(page, opts.dragMs ?? 3000);
    const loadAfter = loadavg()[0];
    await basinDone(page);

    const basin: number[] = [];
    for (let r = 0; r < 3; r++) {
      basin.push(
        await page.evaluate(() =>
          (
            globalThis as unknown as {
              __explainerBench: {
                basinMapMs(nx: number, ny: number, steps: number): Promise<number>;
              };
            }
          ).__explainerBench.basinMapMs(128, 128, 200),
        ),
      );
    }
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      dragRedrawsPerS: round(drag.redrawsPerS),
      sliderToFrameMs: round(sliderMs),
      basinMapMs: round(median(basin)),
      dragCpuMsPerRedraw: round(drag.cpuMsPerRedraw),
      dragLoad: [round(loadBefore), round(loadAfter)],
    };
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const baseURL = process.argv[2] ?? 'http://127.0.0.1:5181/';
  benchExplainer({ baseURL }).then((r) => process.stdout.write(JSON.stringify(r) + '\n'));
}
