/**
 * The colours of runs and vectors, by meaning (decisions.md, "Teaching and accessibility"):
 * colour = optimizer family, dash = variant within the family, and a marker per run so two
 * runs of one member still differ. Vector colours (s, δ, g, η, update) are kept away from
 * every run colour. palette.test.ts holds these to CIEDE2000 ≥ 15 between run colours and
 * ≥ 10 between a run colour and a vector colour, for normal vision and under deuteranopia and
 * protanopia (Machado 2009, severity 1), and to WCAG contrast on the page background.
 */
import type { FamilyName } from '../optim/config';

/** The four optimizer families: plain descent, SAM-type, adaptive, adaptive SAM-type. */
export type Group = 'sgd' | 'sam' | 'adam' | 'adasam';

/** Okabe–Ito-derived run colours, each ≥ 3:1 against white (graphics). */
export const GROUP_COLORS: Record<Group, string> = {
  sgd: '#444444',
  sam: '#d55e00',
  adam: '#0072b2',
  adasam: '#009e73',
};

/** Each family member: its group and its variant (0 = the group's plain member, drawn solid). */
export const MEMBER_STYLE: Record<FamilyName, { group: Group; variant: number }> = {
  sgd: { group: 'sgd', variant: 0 },
  sgdm: { group: 'sgd', variant: 1 },
  sam: { group: 'sam', variant: 0 },
  samm: { group: 'sam', variant: 1 },
  asam: { group: 'sam', variant: 2 },
  amsgrad: { group: 'adam', variant: 0 },
  adam: { group: 'adam', variant: 1 },
  adasam: { group: 'adasam', variant: 0 },
  samAdam: { group: 'adasam', variant: 1 },
};

/** SVG stroke-dasharray patterns (in stroke widths' units of about 1.6 px); '' is solid. */
export const DASHES = ['', '8 4', '2 3', '10 3 2 3', '4 4', '12 4 2 4 2 4'] as const;

/** Marker shapes, one per run position (shape, not colour, so position-based is fine). */
export const MARKERS = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'cross',
  'star',
  'plus',
  'hex',
] as const;
export type Marker = (typeof MARKERS)[number];

/** The vectors of one AdaSAM step (Algorithm 1); each ≥ 4.5:1 on the page (they colour text). */
export const VECTOR_COLORS = {
  /** s_t = ∇f(x_t), the clean gradient */
  s: '#0000f0',
  /** δ_t, the ascent to the edge of the ρ-ball */
  delta: '#780000',
  /** g_t = ∇f(x_t + δ_t), the gradient SAM descends along */
  g: '#c30087',
  /** η_t, the per-coordinate step size */
  eta: '#00785a',
  /** x_{t+1} − x_t */
  update: '#a53c00',
} as const;

export interface RunStyle {
  color: string;
  /** stroke-dasharray ('' = solid) */
  dash: string;
  marker: Marker;
  /** 'solid', 'dashed', … in words, for legends read aloud */
  dashName: string;
}

const DASH_NAMES = ['solid', 'dashed', 'dotted', 'dash-dot', 'short dashes', 'dash-dot-dot'];

/**
 * Styles for the runs of one race, in order: the colour from the run's family, the dash from
 * its variant, moved on to the next unused dash when an earlier run of the same colour already
 * has it (two AdaSAM runs: solid and dashed), and a marker per position.
 */
export function runStyles(families: readonly FamilyName[]): RunStyle[] {
  const used = new Map<string, Set<number>>();
  return families.map((f, i) => {
    const { group, variant } = MEMBER_STYLE[f];
    const taken = used.get(group) ?? new Set<number>();
    let d = variant;
    while (taken.has(d) && taken.size < DASHES.length) d = (d + 1) % DASHES.length;
    taken.add(d);
    used.set(group, taken);
    return {
      color: GROUP_COLORS[group],
      dash: DASHES[d],
      dashName: DASH_NAMES[d],
      marker: MARKERS[i % MARKERS.length],
    };
  });
}

/** An SVG path for a marker of radius r centred on (0, 0). */
export function markerPath(m: Marker, r: number): string {
  const k = (x: number) => Number(x.toFixed(2));
  switch (m) {
    case 'circle':
      return `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
    case 'square':
      return `M${k(-0.85 * r)},${k(-0.85 * r)}h${k(1.7 * r)}v${k(1.7 * r)}h${k(-1.7 * r)}Z`;
    case 'triangle':
      return `M0,${k(-1.1 * r)}L${k(r)},${k(0.75 * r)}L${k(-r)},${k(0.75 * r)}Z`;
    case 'diamond':
      return `M0,${k(-1.2 * r)}L${k(r)},0L0,${k(1.2 * r)}L${k(-r)},0Z`;
    case 'cross': {
      const a = k(0.35 * r);
      return `M${-a},${-r}h${2 * a}v${r - a}h${r - a}v${2 * a}h${a - r}v${r - a}h${-2 * a}v${a - r}h${a - r}v${-2 * a}h${r - a}Z`;
    }
    case 'plus':
      return `M${k(-0.3 * r)},${-r}h${k(0.6 * r)}v${k(0.7 * r)}h${k(0.7 * r)}v${k(0.6 * r)}h${k(-0.7 * r)}v${k(0.7 * r)}h${k(-0.6 * r)}v${k(-0.7 * r)}h${k(-0.7 * r)}v${k(-0.6 * r)}h${k(0.7 * r)}Z`;
    case 'star': {
      const pts = Array.from({ length: 10 }, (_, j) => {
        const a = (Math.PI * j) / 5 - Math.PI / 2;
        const rr = j % 2 === 0 ? 1.2 * r : 0.5 * r;
        return `${k(rr * Math.cos(a))},${k(rr * Math.sin(a))}`;
      });
      return `M${pts.join('L')}Z`;
    }
    case 'hex': {
      const pts = Array.from({ length: 6 }, (_, j) => {
        const a = (Math.PI * j) / 3;
        return `${k(r * Math.cos(a))},${k(r * Math.sin(a))}`;
      });
      return `M${pts.join('L')}Z`;
    }
  }
}
