/**
 * `trace`'s test-view scores (issue 11 item 1, as the page's table shows them): each run's end
 * point on the landscape and on the landscape moved by the seeded shift u, checked against the
 * wells formula written out from spec §8.1 (not the landscape module).
 */
import { describe, expect, it } from 'vitest';
import { decodeLink } from '../state/url';
import { traceScene } from './trace';

/** spec §8.1: f = −A_s e^{−‖x−c_s‖²/(2σ_s²)} − A_f e^{−‖x−c_f‖²/(2σ_f²)} */
const wells = ([x, y]: number[]) =>
  -1.0 * Math.exp(-((x + 0.8) ** 2 + y ** 2) / (2 * 0.2 ** 2)) -
  0.7 * Math.exp(-((x - 0.8) ** 2 + y ** 2) / (2 * 0.8 ** 2));

describe('trace testView', () => {
  it('scores each end point on wells and on wells moved by u, as the formula gives', () => {
    const { link } = decodeLink('#v=2&seed=4');
    const out = traceScene(link.scene, link.runs);
    const u = out[0].testView.shift;
    // |u| is a tenth of the domain's shorter side (3 on wells: x ∈ [−2, 2.5], y ∈ [−1.5, 1.5])
    expect(Math.hypot(u[0], u[1])).toBeCloseTo(0.3, 12);
    for (const run of out) {
      expect(run.testView.shift).toEqual(u);
      const end = run.trace.x[run.trace.x.length - 1];
      expect(run.testView.train).toBeCloseTo(wells(end), 12);
      expect(run.testView.test).toBeCloseTo(wells([end[0] - u[0], end[1] - u[1]]), 12);
    }
    // the story the page tells: the sharp well's loss rises far more than the flat one's
    const rise = out.map((r) => r.testView.test! - r.testView.train!);
    expect(rise[0]).toBeGreaterThan(0.3);
    expect(rise[3]).toBeLessThan(0.1);
  });

  it('a diverged run has no end point to score; another seed moves u', () => {
    const { link } = decodeLink('#v=1&land=quadratic&T=40&r0=adasam&r0.b2=1&r0.eps=1e-8&r0.lr=0.1');
    const [boom] = traceScene(link.scene, link.runs);
    expect(boom.status).toBe('diverged');
    expect(boom.testView).toMatchObject({ train: null, test: null });
    const a = traceScene(decodeLink('#v=2&seed=1').link.scene, [decodeLink('#v=2').link.runs[0]]);
    const b = traceScene(decodeLink('#v=2&seed=2').link.scene, [decodeLink('#v=2').link.runs[0]]);
    expect(a[0].testView.shift).not.toEqual(b[0].testView.shift);
  });
});
