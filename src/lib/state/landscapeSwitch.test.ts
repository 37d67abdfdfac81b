/**
 * A landscape switch brings the new landscape's recommended settings, except those the user
 * changed (issue 11 item 2). Expected values are the recommended table's numbers, written out.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK } from './defaults';
import { switchLandscape } from './landscapeSwitch';
import { decodeLink, encodeLink, runSpec } from './url';

describe('switchLandscape', () => {
  it('from the untouched opening race: the new landscape’s whole recommended race', () => {
    const next = switchLandscape(structuredClone(DEFAULT_LINK), 'rosenbrock');
    expect(encodeLink(next)).toBe('v=3&land=rosenbrock');
    expect(next.scene).toMatchObject({ steps: 1000, x0: [-1.2, 1] });
    expect(next.view.logLoss).toBe(true);
    expect(next.runs.map((r) => [r.config.lr, r.config.rho])).toEqual([
      [0.0015, 0],
      [0.05, 0],
      [0.0015, 0.01],
      [0.05, 0.01],
    ]);
  });

  it('keeps what the user changed and moves the rest', () => {
    const { link } = decodeLink('#v=3&T=300&ylog=true&r0=sgd&r0.lr=0.01&r1=adasam');
    const next = switchLandscape(link, 'himmelblau');
    expect(next.scene.steps).toBe(300);
    expect(next.scene.x0).toEqual([1, -1]);
    // wells' log axis default is off, so "on" was the user's choice and stays
    expect(next.view.logLoss).toBe(true);
    expect(next.runs).toEqual([
      runSpec('sgd', 'paper', { lr: 0.01 }),
      runSpec('adasam', 'paper', { lr: 0.1, rho: 0.3 }),
    ]);
    expect(encodeLink(next)).toBe('v=3&land=himmelblau&T=300&r0=sgd&r0.lr=0.01&r1=adasam');
  });

  it('clamps the anatomy step to the new run length', () => {
    const { link } = decodeLink('#v=3&land=rosenbrock&at=900');
    expect(switchLandscape(link, 'wells').view.anatomyStep).toBe(199);
  });
});
