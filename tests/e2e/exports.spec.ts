/**
 * Exports (issue 12, item 6) in headless Chromium: the 2-D page's PNG holds the map with its
 * trajectories (pixels of each run's colour along each path) and a legend, beside the 3-D view;
 * the 3-D view's own PNG holds its canvas, each run's colour and the legend;
 * every chart's CSV and JSON download with a header and one row per data point (the loss curves:
 * steps + 1 rows; the trajectories: steps + 1 points per run; the basin maps: one row per start
 * per run), and the lab's charts after a short race (steps, evaluations, η, λ_max, slice,
 * speed-up).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

async function save(page: Page, testid: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testid).click(),
  ]);
  return readFileSync((await download.path())!, 'utf8');
}

/** A CSV's header cells and its data rows (RFC 4180: quoted fields may hold commas and quotes). */
function csvOf(text: string): { header: string[]; rows: string[][] } {
  const lines = text
    .trimEnd()
    .split('\n')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
        .slice(0, -1)
        .map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1])),
    );
  return { header: lines[0], rows: lines.slice(1) };
}

/** The CSV and the JSON of one chart agree: same columns, same number of rows. */
async function both(page: Page, testid: string) {
  const csv = csvOf(await save(page, `${testid}-csv`));
  const json = JSON.parse(await save(page, `${testid}-json`)) as {
    chart: string;
    columns: string[];
    rows: unknown[][];
  };
  expect(json.columns).toEqual(csv.header);
  expect(json.rows.length).toBe(csv.rows.length);
  return { csv, json };
}

test('2-D page: CSV and JSON of the loss curves, trajectories and basin maps; PNG with trajectories and legend', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  const steps = Number(await page.getByTestId('scene-steps').inputValue());

  const loss = await both(page, 'loss-data');
  expect(loss.csv.header[0]).toBe('step');
  expect(loss.csv.header).toHaveLength(1 + 2 * 4);
  expect(loss.csv.rows).toHaveLength(steps + 1);
  expect(loss.csv.rows.map((r) => Number(r[0]))).toEqual(
    Array.from({ length: steps + 1 }, (_, t) => t),
  );

  const traj = await both(page, 'trajectory-data');
  expect(traj.csv.header).toEqual(['run', 'step', 'x1', 'x2', 'loss']);
  expect(traj.csv.rows).toHaveLength(4 * (steps + 1));
  // a trajectory's loss column equals the loss chart's column for that run
  const first = traj.csv.rows.filter((r) => r[0] === traj.csv.rows[0][0]).map((r) => r[4]);
  expect(first).toEqual(loss.csv.rows.map((r) => r[1]));

  await expect(page.getByTestId('basin-status')).toContainText('done', { timeout: 60_000 });
  const basin = await both(page, 'basin-data');
  expect(basin.csv.header).toEqual(['run', 'x0 1', 'x0 2', 'ends in']);
  // 64 starts across (the grid's rows follow the domain's aspect), the same grid for every run
  const perRun = basin.csv.rows.length / 4;
  expect(basin.csv.rows.filter((r) => r[0] === basin.csv.rows[0][0])).toHaveLength(perRun);
  expect(new Set(basin.csv.rows.slice(0, perRun).map((r) => r[1])).size).toBe(64);
  expect(perRun % 64).toBe(0);

  // the PNG: decoded by the browser, its size and the run colours along every trajectory
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-png').click(),
  ]);
  const png = readFileSync((await download.path())!).toString('base64');
  const found = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    const view = document.querySelector('[data-testid="contour-view"]')!.getBoundingClientRect();
    const live = document.querySelector<SVGSVGElement>('[data-testid="contour-map"]')!;
    const k = (2 * view.width) / live.viewBox.baseVal.width; // image pixels per SVG unit
    const rgb = (s: string) => s.match(/\d+/g)!.slice(0, 3).map(Number);
    const near = (x: number, y: number, col: number[], r = 3) => {
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const o = 4 * (Math.round(y + dy) * c.width + Math.round(x + dx));
          if (Math.hypot(data[o] - col[0], data[o + 1] - col[1], data[o + 2] - col[2]) < 40)
            return true;
        }
      return false;
    };
    const paths = [...document.querySelectorAll<SVGPathElement>('[data-testid="trajectory"]')];
    const runs = paths.map((p) => {
      const col = rgb(getComputedStyle(p).stroke);
      const len = p.getTotalLength();
      let hits = 0;
      for (let i = 0; i < 20; i++) {
        const q = p.getPointAtLength((len * (i + 0.5)) / 20);
        if (near(q.x * k, q.y * k, col)) hits++;
      }
      // the legend band under the views holds the run's colour too
      let legend = false;
      const H = Math.round(2 * view.height);
      for (let y = H; y < c.height && !legend; y += 2)
        for (let x = 0; x < c.width && !legend; x += 2) legend = near(x, y, col, 0);
      return { hits, legend };
    });
    const surface = document.querySelector<HTMLCanvasElement>(
      '[data-testid="surface-view"] canvas',
    )!;
    // the 3-D canvas is scaled to the map's height
    const expected =
      Math.round(2 * view.width) +
      Math.round((surface.width * Math.round(2 * view.height)) / surface.height);
    return { width: c.width, height: c.height, expected, view: [view.width, view.height], runs };
  }, png);
  // map and 3-D view side by side at twice the map's size, the legend band below
  expect(Math.abs(found.width - found.expected)).toBeLessThanOrEqual(2);
  expect(found.height).toBeGreaterThan(2 * found.view[1] + 20);
  for (const r of found.runs) {
    // most sampled points show the run's colour (another run's path or the anatomy may cover a
    // few; the contour layer alone, without the trajectory layer, shows none)
    expect(r.hits).toBeGreaterThanOrEqual(8);
    expect(r.legend).toBe(true);
  }

  // the 3-D view on its own: its canvas at its size, the legend band below, each run's colour
  // in the view (its trajectory) and in the legend
  const [surfaceDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-surface-png').click(),
  ]);
  expect(surfaceDownload.suggestedFilename()).toMatch(/-3d\.png$/);
  const surfacePng = readFileSync((await surfaceDownload.path())!).toString('base64');
  const surface = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    [c.width, c.height] = [img.width, img.height];
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    const live = document.querySelector<HTMLCanvasElement>('[data-testid="surface-view"] canvas')!;
    const rgb = (s: string) => s.match(/\d+/g)!.slice(0, 3).map(Number);
    const colours = [
      ...document.querySelectorAll<SVGPathElement>('[data-testid="trajectory"]'),
    ].map((p) => rgb(getComputedStyle(p).stroke));
    /** pixels of each colour (RGB distance under 25) in rows [y0, y1) */
    const count = (y0: number, y1: number) =>
      colours.map((col) => {
        let n = 0;
        for (let o = 4 * y0 * c.width; o < 4 * y1 * c.width; o += 4)
          if (Math.hypot(data[o] - col[0], data[o + 1] - col[1], data[o + 2] - col[2]) < 25) n++;
        return n;
      });
    const distinct = new Set<number>();
    for (let o = 0; o < 4 * live.height * c.width; o += 4 * 97)
      distinct.add((data[o] << 16) | (data[o + 1] << 8) | data[o + 2]);
    return {
      size: [c.width, c.height],
      live: [live.width, live.height],
      view: count(0, live.height),
      legend: count(live.height, c.height),
      distinct: distinct.size,
    };
  }, surfacePng);
  expect(surface.size[0]).toBe(surface.live[0]);
  expect(surface.size[1]).toBeGreaterThan(surface.live[1] + 16);
  // not blank: a shaded surface has many colours (a cleared canvas has one)
  expect(surface.distinct).toBeGreaterThan(50);
  for (const n of surface.view) expect(n).toBeGreaterThanOrEqual(10);
  for (const n of surface.legend) expect(n).toBeGreaterThanOrEqual(10);
});

const SMALL_LAB =
  '#v=1&page=lab&lab.be=cpu&lab.p=11&lab.L=1&lab.d=32&lab.h=2&lab.mlp=32&lab.b=16&lab.steps=20&lab.eval=10&lab.r0=adasam&lab.r1=sam';

test('lab: CSV and JSON of the steps, evaluations, η, λ_max, slice and speed-up', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('./' + SMALL_LAB);
  await expect(page.getByTestId('lab-start')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('lab-start').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
    timeout: 120_000,
  });

  const steps = await both(page, 'lab-steps-data');
  expect(steps.csv.header.slice(0, 5)).toEqual([
    'run',
    'step',
    'gradient evaluations',
    'wall ms',
    'minibatch loss',
  ]);
  expect(steps.csv.rows).toHaveLength(2 * 20);
  expect((await both(page, 'lab-diag-data')).csv.rows).toHaveLength(2 * 20);
  // evaluations at steps 0, 10 and 20 for each run
  const evals = await both(page, 'lab-evals-data');
  expect(evals.csv.rows.map((r) => r[1])).toEqual(['0', '10', '20', '0', '10', '20']);
  // η: one row per bin per layer group, of the step the panel names
  const etaStep = await page.getByTestId('lab-eta-step').getAttribute('data-step');
  const eta = await both(page, 'lab-eta-data');
  expect(eta.json.chart).toBe(`lab-eta-step${etaStep}`);
  expect(eta.csv.rows.length % 40).toBe(0);
  expect(eta.csv.rows.every((r) => r[1] === etaStep)).toBe(true);

  await page.getByTestId('lab-hessian').click();
  await expect(page.getByTestId('lab-hessian-loss').nth(1)).toHaveText(/\d/, { timeout: 60_000 });
  const hessian = await both(page, 'lab-hessian-data');
  expect(hessian.csv.header).toEqual(['run', 'step', 'loss', 'λ_max', 'iterations']);
  expect(hessian.csv.rows.map((r) => r[1])).toEqual(['20', '20']);

  await page.getByLabel('grid').fill('7');
  await page.getByTestId('lab-slice').click();
  await expect(page.getByTestId('lab-slice-view')).toBeVisible({ timeout: 60_000 });
  const slice = await both(page, 'lab-slice-data');
  expect(slice.csv.rows).toHaveLength(49);

  await page.getByLabel('iterations').fill('10');
  await page.getByTestId('lab-speedup').click();
  await expect(page.getByTestId('lab-speedup-chart')).toBeVisible({ timeout: 60_000 });
  const speedup = await both(page, 'lab-speedup-data');
  expect(speedup.csv.header).toEqual(['batch', 'lr', 'iteration', 'loss']);
  expect(speedup.csv.rows).toHaveLength(4 * 10);
});
