/**
 * Pixel frames for the 2-D plots: a landscape domain mapped onto a width×height box (y up), and
 * small path builders (arrows, polylines) that return SVG `d` strings for the markup to render.
 */
import type { Domain } from '../../lib/landscapes/grid';

export interface Frame {
  width: number;
  height: number;
  domain: Domain;
  /** domain x → pixel */
  px(x: number): number;
  /** domain y → pixel (y grows upwards in the domain, downwards on screen) */
  py(y: number): number;
  /** pixel → domain point */
  invert(px: number, py: number): [number, number];
  /** pixels per domain unit (the same on both axes when the aspect ratio is kept) */
  kx: number;
  ky: number;
}

/** A frame of the given width whose height keeps the domain's aspect ratio (capped to `maxAspect`). */
export function makeFrame(domain: Domain, width: number, maxAspect = 1.4): Frame {
  const [[x0, x1], [y0, y1]] = domain;
  const height = Math.round(width * Math.min(maxAspect, (y1 - y0) / (x1 - x0)));
  const kx = width / (x1 - x0);
  const ky = height / (y1 - y0);
  return {
    width,
    height,
    domain,
    kx,
    ky,
    px: (x) => (x - x0) * kx,
    py: (y) => height - (y - y0) * ky,
    invert: (px, py) => [x0 + px / kx, y0 + (height - py) / ky],
  };
}

// Far-off points (a run leaving the domain for 1e21) are pulled in to ±1e5 px: SVG rejects exponent
// notation in path data, and the clip hides them anyway while keeping the line's direction.
const f2 = (x: number) =>
  Number.isFinite(x) ? Math.round(Math.max(-1e5, Math.min(1e5, x)) * 100) / 100 : 0;

/** A polyline through domain points, as one path (one element per run, however long). */
export function polylinePath(frame: Frame, points: ArrayLike<number>[]): string {
  let d = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    d += (i === 0 ? 'M' : 'L') + f2(frame.px(p[0])) + ',' + f2(frame.py(p[1]));
  }
  return d;
}

/**
 * An arrow from pixel (x1, y1) to (x2, y2): the shaft and a filled head in one path, so it
 * needs no <marker> (whose ids would clash between plots on one page).
 */
export function arrowPath(x1: number, y1: number, x2: number, y2: number, head = 9): string {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy);
  if (!(len > 0.5)) return '';
  const h = Math.min(head, len * 0.6);
  const ux = dx / len;
  const uy = dy / len;
  const bx = x2 - ux * h;
  const by = y2 - uy * h;
  const w = h * 0.45;
  return `M${f2(x1)},${f2(y1)}L${f2(bx)},${f2(by)}M${f2(x2)},${f2(y2)}L${f2(bx - uy * w)},${f2(by + ux * w)}L${f2(bx + uy * w)},${f2(by - ux * w)}Z`;
}

/** Formats a number for labels: 4 significant digits, exponent form when far from 1. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(digits - 2);
  return String(Number(x.toPrecision(digits)));
}
