/**
 * The 2-D page's figure as one PNG (issue 12, item 6): the contour view's canvas under both of
 * its SVG layers (contours and minima; trajectories, their end markers, the step anatomy and the
 * start), a legend band with each run's colour, dash, marker and name, and the 3-D view's canvas
 * (rendered with preserveDrawingBuffer, so its last frame can be read) beside the map; and the
 * 3-D view on its own with the same legend (`surfacePng`).
 */
import type { RaceResult } from '../../lib/pageState/ExplainerState.svelte';
import { runName } from './raceData';
import { markerPath, stylesOf } from './theme';

/** The presentation properties an SVG clone needs once the page's stylesheets are gone. */
const STYLE_PROPS = [
  'display',
  'visibility',
  'opacity',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'font-size',
  'font-family',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
] as const;

/** Copies the computed style of every element of `src` onto the same element of `dst`. */
function inlineStyles(src: Element, dst: Element): void {
  const cs = getComputedStyle(src);
  dst.setAttribute('style', STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'));
  for (let i = 0; i < src.children.length; i++) inlineStyles(src.children[i], dst.children[i]);
}

/** An SVG element drawn as it looks on the page, at w×h pixels. */
async function svgImage(svg: SVGSVGElement, w: number, h: number): Promise<HTMLImageElement> {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }),
  );
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The contour view (canvas and every SVG layer) at `scale` × its size on screen. */
async function contourLayer(view: HTMLElement, scale: number): Promise<HTMLCanvasElement> {
  const r = view.getBoundingClientRect();
  const out = document.createElement('canvas');
  out.width = Math.round(r.width * scale);
  out.height = Math.round(r.height * scale);
  const ctx = out.getContext('2d')!;
  const heat = view.querySelector('canvas');
  if (heat) ctx.drawImage(heat, 0, 0, out.width, out.height);
  for (const svg of view.querySelectorAll<SVGSVGElement>(':scope > svg'))
    ctx.drawImage(await svgImage(svg, out.width, out.height), 0, 0);
  return out;
}

const LEGEND_ROW = 24;

/** Where each legend entry goes (rows wrap at `width`), and the band's height. */
function legendLayout(
  ctx: CanvasRenderingContext2D,
  names: string[],
  width: number,
  scale: number,
): { at: [number, number][]; height: number } {
  ctx.font = `${13 * scale}px sans-serif`;
  let x = 0;
  let row = 0;
  const at = names.map((name): [number, number] => {
    const w = 56 * scale + ctx.measureText(name).width;
    if (x + w > width && x > 0) {
      x = 0;
      row++;
    }
    const p: [number, number] = [x, row];
    x += w;
    return p;
  });
  return { at, height: (LEGEND_ROW * (row + 1) + 8) * scale };
}

/** The legend: one entry per run, its line (colour and dash), end marker and name. */
function drawLegend(
  ctx: CanvasRenderingContext2D,
  results: RaceResult[],
  layout: { at: [number, number][] },
  x0: number,
  y0: number,
  scale: number,
): void {
  const styles = stylesOf(results.map((r) => r.run.config));
  ctx.font = `${13 * scale}px sans-serif`;
  ctx.textBaseline = 'middle';
  results.forEach((r, i) => {
    const s = styles[i];
    const x = x0 + layout.at[i][0];
    const y = y0 + (LEGEND_ROW * layout.at[i][1] + LEGEND_ROW / 2 + 4) * scale;
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = 2.5 * scale;
    ctx.setLineDash(s.dash ? s.dash.split(/[ ,]+/).map((d) => Number(d) * scale) : []);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 36 * scale, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.save();
    ctx.translate(x + 36 * scale, y);
    ctx.scale(scale, scale);
    ctx.fill(new Path2D(markerPath(s.marker, 4)));
    ctx.restore();
    ctx.fillStyle = '#1d232b';
    ctx.fillText(runName(r, i), x + 46 * scale, y);
  });
}

/** `parts` side by side at a common height, the legend band below them, as a PNG blob. */
function composePng(
  parts: { image: CanvasImageSource; size: [number, number] }[],
  results: RaceResult[],
  scale: number,
): Promise<Blob | null> {
  const H = Math.max(...parts.map((p) => p.size[1]));
  const widths = parts.map(({ size: [w, h] }) => Math.round((w * H) / h));
  const out = document.createElement('canvas');
  out.width = widths.reduce((a, b) => a + b, 0);
  const ctx = out.getContext('2d')!;
  const pad = 8 * scale;
  const layout = legendLayout(
    ctx,
    results.map((r, i) => runName(r, i)),
    out.width - 2 * pad,
    scale,
  );
  out.height = H + layout.height; // resizing clears the canvas and its state
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, out.width, out.height);
  let x = 0;
  parts.forEach((p, i) => {
    ctx.drawImage(p.image, x, 0, widths[i], H);
    x += widths[i];
  });
  drawLegend(ctx, results, layout, pad, H, scale);
  return new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
}

/**
 * The 3-D view alone (its canvas at its own resolution, as rendered just now) above the legend of
 * the race it shows.
 */
export function surfacePng(canvas: HTMLCanvasElement, results: RaceResult[]): Promise<Blob | null> {
  const scale = Math.max(1, Math.round(canvas.width / canvas.getBoundingClientRect().width));
  return composePng([{ image: canvas, size: [canvas.width, canvas.height] }], results, scale);
}

/**
 * The figure as a PNG blob: map with every layer, the 3-D view to its right (when shown), and
 * the legend below both. Null when neither view is on the page.
 */
export async function figurePng(root: HTMLElement, results: RaceResult[]): Promise<Blob | null> {
  const scale = 2;
  const parts: { image: CanvasImageSource; size: [number, number] }[] = [];
  const contour = root.querySelector<HTMLElement>('[data-testid="contour-view"]');
  if (contour) {
    const layer = await contourLayer(contour, scale);
    parts.push({ image: layer, size: [layer.width, layer.height] });
  }
  const surface = root.querySelector<HTMLCanvasElement>('[data-testid="surface-view"] canvas');
  if (surface) parts.push({ image: surface, size: [surface.width, surface.height] });
  if (parts.length === 0) return null;
  return composePng(parts, results, scale);
}
