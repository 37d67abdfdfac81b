/**
 * Browser benchmark of the 2-D explainer, against a running server (dev or preview):
 *   sliderToFrameMs  median time from a ρ-slider input event to the next painted frame, with a
 *                    race of 6 optimizers × 500 steps (contour + 3-D views, loss charts, anatomy)
 *   basinMapMs       median time of one "where does it end?" map, 128×128 starts × 200 steps,
 *                    in the page's basin workers
 * "Painted" is measured as the first task after the next requestAnimationFrame, which runs after
 * that frame's rendering. Uses Debian's Chromium via playwright-core (no downloaded browser).
 * Run against the dev server or the test build (its ?bench=1 hook is not in production builds):
 *   npx tsx scripts/benchExplainer.ts http://127.0.0.1:5181/
 */
import { chromium } from 'playwright-core';

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
  '#v=1&T=500&ar=5&r0=sgd&r0.lr=0.05&r1=samm&r1.lr=0.05&r2=sam&r2.lr=0.05&r3=amsgrad&r3.lr=0.05&r4=adam&r4.lr=0.05&r5=adasam&r5.lr=0.05&r5.rho=0.15';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function benchExplainer(opts: {
  baseURL: string;
  samples?: number;
}): Promise<{ sliderToFrameMs: number; basinMapMs: number }> {
  const samples = opts.samples ?? 40;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(new URL('?bench=1' + RACE, opts.baseURL).href);
    await page.getByTestId('trajectory').nth(5).waitFor();
    // let the first basin maps finish so they do not share the measured frames
    await page.getByTestId('basin-status').getByText('done').waitFor({ timeout: 120_000 });

    const times = await page.evaluate(async (n) => {
      const slider = document.querySelector<HTMLInputElement>('[data-testid="r5-rho-slider"]')!;
      const out: number[] = [];
      for (let i = 0; i < n + 5; i++) {
        slider.value = String(100 + (i % 20) * 5);
        const t0 = performance.now();
        slider.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        // the first few frames warm up the JIT
        if (i >= 5) out.push(performance.now() - t0);
      }
      return out;
    }, samples);

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
    return { sliderToFrameMs: median(times), basinMapMs: median(basin) };
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const baseURL = process.argv[2] ?? 'http://127.0.0.1:5181/';
  benchExplainer({ baseURL }).then((r) => process.stdout.write(JSON.stringify(r) + '\n'));
}
