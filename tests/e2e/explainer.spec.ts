/**
 * The 2-D explainer in headless Chromium: "Export JSON" equals the `trace` command for the same
 * link, sliders drive the link and the drawing, junk links fall back to defaults, the step
 * anatomy plays through all its phases, and the drawings of each view match committed baselines
 * (tests/e2e/__screenshots__/, text masked; `npm run test:e2e:rebaseline` rewrites them). The
 * `test` fixture fails any test that logs a console error, throws, or requests another origin.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { DEFAULT_LINK } from '../../src/lib/state/defaults';
import { test, expect } from './fixtures';

const SHOTS = 'test-results/explainer';

/**
 * Compares one element with its baseline, text masked: Debian's Chromium updates change fonts and
 * their antialiasing, while what these tests guard is the drawing. The tolerance (playwright.config.ts)
 * absorbs software rendering's last-bit differences.
 */
async function matchesBaseline(page: Page, selector: string, name: string) {
  const element = page.locator(selector).first();
  await expect(element).toHaveScreenshot(name, {
    mask: [element.locator('text, p, span, label, figcaption, button, h2, h3, h4, li')],
  });
}

/** The race of the default page with AdaSAM dissected, at a step where v̂'s maximum is active. */
const ADASAM_LINK =
  '#v=1&ar=3&at=30&ap=5&x0=-0.45,0.3&T=100&r0=sgd&r0.lr=0.05&r1=amsgrad&r1.lr=0.05&r2=sam&r2.lr=0.05&r3=adasam&r3.lr=0.05&r3.rho=0.25';

async function trajectory(page: Page, run: number): Promise<string> {
  return (
    (await page
      .locator(`[data-testid="trajectory"][data-run="${run}"]`)
      .first()
      .getAttribute('d')) ?? ''
  );
}

async function noNaN(page: Page) {
  expect(await page.locator('main').innerText()).not.toMatch(/NaN|undefined|Infinity/);
}

test('the default page tells the story: four runs, AMSGrad in the sharp well, AdaSAM in the flat one', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  const legend = page.getByTestId('run-legend');
  await expect(legend.getByTestId('legend-item').nth(1)).toContainText('AMSGrad');
  await expect(legend.getByTestId('legend-item').nth(1)).toContainText('sharp well');
  await expect(legend.getByTestId('legend-item').nth(3)).toContainText('AdaSAM');
  await expect(legend.getByTestId('legend-item').nth(3)).toContainText('flat well');
  await expect(page.getByTestId('contour-view')).toBeVisible();
  await expect(page.getByTestId('surface-view')).toBeVisible();
  await noNaN(page);
});

/** Downloads "Export JSON" for a link and runs `trace` on the same link. */
async function exportAndTrace(
  page: Page,
  hash: string,
  runs: number,
): Promise<{ exported: string; printed: string }> {
  await page.goto('./' + hash);
  await expect(page.getByTestId('trajectory')).toHaveCount(runs);
  const link = page.url();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-json').click(),
  ]);
  const exported = readFileSync((await download.path())!, 'utf8');
  const printed = execFileSync('npx', ['tsx', 'scripts/trace.ts', link], { encoding: 'utf8' });
  return { exported, printed };
}

/** The largest |a − b| / (1e-12 + |b|) over two JSON values of the same shape (throws when shapes differ). */
function worstRelative(a: unknown, b: unknown, path = '$'): number {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b ? 0 : Math.abs(a - b) / (1e-12 + Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) throw new Error(`${path}: length ${a.length} ≠ ${b.length}`);
    return Math.max(0, ...a.map((x, i) => worstRelative(x, b[i], `${path}[${i}]`)));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).join(','),
      kb = Object.keys(b).join(',');
    if (ka !== kb) throw new Error(`${path}: keys ${ka} ≠ ${kb}`);
    return Math.max(
      0,
      ...Object.keys(a).map((k) =>
        worstRelative(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
          `${path}.${k}`,
        ),
      ),
    );
  }
  if (a !== b) throw new Error(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
  return 0;
}

test('Export JSON equals `trace` for the same link, byte for byte', async ({ page }) => {
  // quadratic + paper preset + exact gradients use only + − × ÷ and √, which IEEE 754 fixes exactly
  const hash =
    '#v=1&land=quadratic&T=80&x0=-2,1.5&r0=sgd&r0.lr=0.05&r1=adasam&r1.lr=0.1&r1.rho=0.1&r2=amsgrad&r2.lr=0.1&r3=samm&r3.lr=0.05&r3.rho=0.05';
  const { exported, printed } = await exportAndTrace(page, hash, 4);
  const expected = JSON.parse(printed);
  expect(expected).toHaveLength(4);
  expect(JSON.parse(exported)).toEqual(expected);
  expect(exported).toBe(printed);
});

test('Export JSON equals `trace` byte for byte with exp, bias correction, ASAM and gradient noise', async ({
  page,
}) => {
  // wells needs exp, the torch preset needs β^k and the noise needs normals: math/detmath makes
  // them engine-independent, so Chromium and Node agree to the last bit here too
  const hash =
    '#v=1&land=wells&T=60&sigma=0.3&b=8&seed=3&r0=sgd&r0.lr=0.05&r1=adasam&r1.lr=0.05&r1.rho=0.15&r2=amsgrad&r2.preset=torch&r2.lr=0.05&r3=asam&r3.lr=0.05';
  const { exported, printed } = await exportAndTrace(page, hash, 4);
  const expected = JSON.parse(printed);
  expect(expected).toHaveLength(4);
  expect(expected[0].stochastic).toEqual({ sigma: 0.3, batch: 8, samples: 256, seed: 3 });
  expect(worstRelative(JSON.parse(exported), expected)).toBe(0);
  expect(exported).toBe(printed);
});

test('moving a slider rewrites the link and redraws the trajectory at once', async ({ page }) => {
  await page.goto('./');
  // the page opens on the AdaSAM run (the default, so not in the link); another tab is
  await expect(page).not.toHaveURL(/ar=/);
  await page.getByTestId('run-tab-1').click();
  await expect(page).toHaveURL(/ar=1/);
  await page.getByTestId('run-tab-3').click();
  await expect(page).not.toHaveURL(/ar=/);
  const before = await trajectory(page, 3);
  // ρ's slider moves in its row's step of 0.005: position 20 is 0.1
  await page.getByTestId('r3-rho-slider').fill('20');
  await expect(page).toHaveURL(/r3\.rho=0\.1(&|$)/);
  const after = await trajectory(page, 3);
  expect(after).not.toBe(before);
  // the number field follows the slider, and typing applies too
  await expect(page.getByTestId('r3-rho')).toHaveValue('0.1');
  await page.getByTestId('r3-lr').fill('0.02');
  await page.getByTestId('r3-lr').press('Enter');
  await expect(page).toHaveURL(/r3\.lr=0\.02(&|$)/);
  expect(await trajectory(page, 3)).not.toBe(after);
  // an invalid value is refused with the row's range, and the link keeps the old one
  await page.getByTestId('r3-beta1').fill('1');
  await page.getByTestId('r3-beta1').press('Enter');
  await expect(page.getByTestId('run-editor-3').getByRole('alert')).toContainText('[0, 1)');
  await expect(page).not.toHaveURL(/r3\.b1=/);
  // a cross-field rule is the optimizer's: β2 = 1 with the torch preset shows its message
  await page.getByTestId('r3-preset').selectOption('torch');
  await page.getByTestId('r3-beta2').fill('1');
  await page.getByTestId('r3-beta2').press('Enter');
  await expect(
    page.getByTestId('run-editor-3').getByRole('alert').filter({ hasText: 'beta2' }),
  ).toContainText('beta2 must be in [0, 1) with biasCorrection');
  await expect(page).not.toHaveURL(/r3\.b2=1/);
});

/** The 3-D view's pixels (its canvas keeps its last frame: preserveDrawingBuffer). */
const surfacePixels = (page: Page) =>
  page.evaluate(() =>
    document.querySelector<HTMLCanvasElement>('[data-testid="surface-view"] canvas')!.toDataURL(),
  );

/** What the step anatomy shows: its text (Algorithm 1's numbers) and its drawing's geometry. */
const anatomyShown = (page: Page) =>
  page.evaluate(() => {
    const section = document.querySelector<HTMLElement>('[data-testid="anatomy"]')!;
    const shapes = [...section.querySelectorAll('svg *')].map((e) =>
      ['d', 'cx', 'cy', 'r', 'x1', 'y1', 'x2', 'y2', 'x', 'y', 'width', 'height', 'transform']
        .map((a) => e.getAttribute(a) ?? '')
        .join(' '),
    );
    return { text: section.innerText, shapes };
  });

/** Pixels whose colour differs by more than 30 (RGB distance) between two PNG data URLs. */
const pixelsApart = (page: Page, a: string, b: string) =>
  page.evaluate(
    async ([a, b]) => {
      const read = async (url: string) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        const c = document.createElement('canvas');
        [c.width, c.height] = [img.width, img.height];
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, c.width, c.height).data;
      };
      const [p, q] = [await read(a), await read(b)];
      if (p.length !== q.length) return Infinity;
      let n = 0;
      for (let o = 0; o < p.length; o += 4)
        if (Math.hypot(p[o] - q[o], p[o + 1] - q[o + 1], p[o + 2] - q[o + 2]) > 30) n++;
      return n;
    },
    [a, b],
  );

/** The geometry of an SVG drawing: each shape's attributes, in document order. */
const drawing = (page: Page, selector: string) =>
  page.evaluate(
    (selector) =>
      [...document.querySelectorAll(`${selector} *`)].map((e) =>
        ['d', 'cx', 'cy', 'transform', 'stroke', 'stroke-dasharray']
          .map((a) => e.getAttribute(a) ?? '')
          .join(' '),
      ),
    selector,
  );

/** Each basin map's pixels, as PNG data URLs. */
const basinPixels = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="basin-map"] canvas')].map((c) =>
      c.toDataURL(),
    ),
  );

test('after a dragged slider every view shows the last value; the basin maps wait for the drag', async ({
  page,
  browser,
}) => {
  // the 3-D view and the anatomy redraw once a drag pauses, the basin maps once it ends
  // (lib/pageState/coalesce.ts); the map and the loss charts keep the paths of the runs a change
  // leaves alone. The last value must never be lost: the page must end as a fresh page opened
  // at the final link, view by view.
  await page.goto('./#v=2&view=both&ar=3&at=3&ap=5');
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  await expect(page.getByTestId('basin-status')).toContainText('done', { timeout: 30_000 });
  const slider = page.getByTestId('r3-rho-slider');
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  // let the opening frames settle, then note what the views show before the drag
  await expect
    .poll(async () => (await surfacePixels(page)) === (await surfacePixels(page)))
    .toBe(true);
  const surfaceBefore = await surfacePixels(page);
  const anatomyBefore = await anatomyShown(page);
  await page.mouse.move(box.x + box.width * 0.1, y);
  await page.mouse.down();
  for (let k = 1; k <= 12; k++) await page.mouse.move(box.x + box.width * (0.1 + 0.03 * k), y);
  // the button is still held: the basin maps' workers have not started
  await expect(page.getByTestId('basin-status')).toContainText('waiting for the change to end');
  await page.mouse.up();
  await expect(page).toHaveURL(/r3\.rho=0\.4/);
  const final = page.url();

  const fresh = await browser.newPage({ viewport: page.viewportSize()! });
  try {
    await fresh.goto(final);
    await expect(fresh.getByTestId('trajectory')).toHaveCount(4);
    for (const view of ['trajectories', 'loss-chart-steps', 'loss-chart-evals'])
      expect(await drawing(page, `[data-testid="${view}"]`), view).toEqual(
        await drawing(fresh, `[data-testid="${view}"]`),
      );
    for (const p of [page, fresh])
      await expect(p.getByTestId('basin-status')).toContainText('done', { timeout: 30_000 });
    expect(await basinPixels(page)).toEqual(await basinPixels(fresh));
    const want = await anatomyShown(fresh);
    expect(want).not.toEqual(anatomyBefore);
    await expect.poll(() => anatomyShown(page)).toEqual(want);
    // the fresh page's 3-D view once it has rendered, then the dragged page's must match it
    await expect
      .poll(async () => pixelsApart(page, surfaceBefore, await surfacePixels(fresh)))
      .toBeGreaterThan(200);
    await expect
      .poll(async () => pixelsApart(page, await surfacePixels(page), await surfacePixels(fresh)))
      .toBeLessThanOrEqual(20);
  } finally {
    await fresh.close();
  }
});

test('a scene change, adding and removing runs, and dragging the start all go into the link', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByTestId('scene-steps').fill('40');
  await page.getByTestId('scene-steps').press('Enter');
  await expect(page).toHaveURL(/T=40/);
  await page.getByTestId('add-family').selectOption('samAdam');
  await page.getByTestId('add-run').click();
  await expect(page.getByTestId('trajectory')).toHaveCount(5);
  await expect(page).toHaveURL(/r4=samAdam/);
  await page.getByTestId('remove-run').click();
  await expect(page.getByTestId('trajectory')).toHaveCount(4);

  const svg = page.getByTestId('contour-view').locator('svg').first();
  const box = (await svg.boundingBox())!;
  const before = await trajectory(page, 0);
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.35, { steps: 5 });
  await page.mouse.up();
  await expect(page).toHaveURL(/x0=/);
  expect(await trajectory(page, 0)).not.toBe(before);

  await page.getByTestId('scene-problem').selectOption('rosenbrock');
  await expect(page).toHaveURL(/land=rosenbrock/);
  // the new landscape's own start, not the dragged one (its default, so the link leaves x0 out)
  await expect(page).not.toHaveURL(/x0=/);
  await expect(page.getByTestId('start-x')).toHaveValue('-1.2');
  await expect(page.getByTestId('start-y')).toHaveValue('1');
  await noNaN(page);
});

test('a junk link opens the defaults for what it got wrong, says so, and injects nothing', async ({
  page,
}) => {
  await page.goto(
    './#v=1&land=nowhere&T=-5&r0=adasam&r0.b1=2&r0.lr=abc&at=%3Csvg%20onload%3Dalert(1)%3E&zzz=%3Cb%3Ebold%3C%2Fb%3E',
  );
  const notice = page.getByTestId('notice');
  await expect(notice).toBeVisible();
  for (const key of ['land=nowhere', 'T=-5', 'r0.b1=2', 'r0.lr=abc', 'zzz=<b>bold</b>'])
    await expect(notice).toContainText(key);
  await expect(page.getByTestId('scene-problem')).toHaveValue('wells');
  await expect(page.getByTestId('scene-steps')).toHaveValue(String(DEFAULT_LINK.scene.steps));
  await expect(page.getByTestId('trajectory')).toHaveCount(1);
  await expect(page.getByTestId('r0-beta1')).toHaveValue('0.9');
  await expect(page.locator('main b, main script, main svg[onload]')).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await noNaN(page);
});

test('the step anatomy plays through every phase, with the matching line of Algorithm 1 lit', async ({
  page,
}) => {
  await page.goto('./#v=1&ar=3&at=2&ap=0');
  const phase = page.getByTestId('anatomy-phase');
  await expect(phase).toHaveAttribute('data-phase', '0');
  // collect every phase the player shows
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __phases: string[] }).__phases = seen;
    const el = document.querySelector('[data-testid="anatomy-phase"]')!;
    new MutationObserver(() =>
      seen.push(
        `${document.querySelector('[data-testid="anatomy-step"]')!.textContent}:${el.getAttribute('data-phase')}`,
      ),
    ).observe(el, { attributes: true });
  });
  await page.locator('.player input[aria-label^="Animation speed"]').fill('6');
  await page.getByTestId('play').click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __phases: string[] }).__phases), {
      timeout: 10_000,
    })
    .toEqual(expect.arrayContaining(['2:1', '2:2', '2:3', '2:4', '2:5', '3:0', '3:1']));
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveText(/Play/);

  // keyboard (decisions.md): , . between phases, s one whole step, space; arrows are not page keys
  await page.getByTestId('anatomy-step-slider').fill('5');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(',');
  const p0 = Number(await phase.getAttribute('data-phase'));
  await page.keyboard.press('.');
  await expect(phase).toHaveAttribute('data-phase', String((p0 + 1) % 6));
  await page.keyboard.press('ArrowRight');
  await expect(phase).toHaveAttribute('data-phase', String((p0 + 1) % 6));
  await page.keyboard.press('s');
  await expect(phase).toHaveAttribute('data-phase', '5');
  await expect(page.getByTestId('anatomy-step')).toHaveText(/^[56]$/);

  await expect(page.getByTestId('algorithm').locator('li.active')).toHaveAttribute(
    'data-phase',
    '5',
  );
  for (const id of ['anatomy-s', 'anatomy-ball', 'anatomy-g', 'anatomy-eta', 'anatomy-update']) {
    await expect(page.getByTestId('step-anatomy').getByTestId(id)).toHaveCount(1);
  }
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveText(/Pause/);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveText(/Play/);
});

test(
  'the contour view, the 3-D view and the basin map match their baselines',
  { tag: '@screenshot' },
  async ({ page }) => {
    await page.goto('./' + ADASAM_LINK);
    await expect(page.getByTestId('trajectory')).toHaveCount(4);
    await expect(page.getByTestId('max-active').first()).toBeVisible();
    await expect(page.getByTestId('basin-status')).toContainText('done', { timeout: 30_000 });
    await matchesBaseline(page, '[data-testid="contour-view"]', 'contour-wells.png');
    await matchesBaseline(page, '[data-testid="surface-view"] canvas', 'surface-wells.png');
    await matchesBaseline(page, '[data-testid="basin-map"] canvas', 'basin-wells.png');
    // the whole page for a person to look at (its text makes it no baseline)
    await page.screenshot({ path: `${SHOTS}/page.png`, fullPage: true });
    await noNaN(page);

    // the 3-D view alone, on the landscape with a log height scale
    await page.goto('./#v=1&land=rosenbrock&view=3d&ar=3&at=10');
    await expect(page.getByTestId('contour-view')).toHaveCount(0);
    await matchesBaseline(page, '[data-testid="surface-view"] canvas', 'surface-rosenbrock.png');
    await page.goto('./#v=1&land=himmelblau&view=contour&ar=3&at=3&ap=5');
    await expect(page.getByTestId('surface-view')).toHaveCount(0);
    await matchesBaseline(page, '[data-testid="contour-view"]', 'contour-himmelblau.png');
    await noNaN(page);
  },
);

test('Export PNG downloads an image of the current view; copy link reports back', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-png').click(),
  ]);
  const png = readFileSync((await download.path())!);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(png.length).toBeGreaterThan(20_000);
  await page.getByTestId('copy-link').click();
  await expect(page.getByRole('status').filter({ hasText: 'copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
});

test('presenter mode: the p key and the button switch large type on and off', async ({ page }) => {
  await page.goto('./');
  const fontSize = () =>
    page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const normal = await fontSize();
  await page.locator('body').press('p');
  await expect(page.getByTestId('presenter')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html.presenter')).toHaveCount(1);
  expect(await fontSize()).toBeGreaterThan(normal * 1.3);
  await page.screenshot({ path: `${SHOTS}/presenter.png` });
  await page.getByTestId('presenter').click();
  await expect(page.getByTestId('presenter')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('html.presenter')).toHaveCount(0);
  expect(await fontSize()).toBe(normal);
});
