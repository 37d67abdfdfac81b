/**
 * Seeded randomness for the transformer lab (tasks, initial weights, dropout masks, slice
 * directions): the project's one PRNG (math/rng.ts) plus the stream ids that keep each use of the
 * user's seed on its own sequence, so one seed gives identical numbers on every backend and in
 * Node. Weights are drawn here and uploaded, never drawn by a backend.
 */
export { makeRng, mixSeed, shuffle, type Rng } from '../math/rng';

/** Stream ids, so each use of the user seed draws from its own sequence. */
export const STREAM = { task: 1, init: 2, batch: 3, dropout: 4, direction: 5, hessian: 6 } as const;
