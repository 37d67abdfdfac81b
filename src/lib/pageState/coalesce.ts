/**
 * Coalescing of expensive redraws (issue 12, item 8): while a slider is dragged, the map follows
 * every input, and the views that cost a frame or more (the 3-D view, the step anatomy) catch up
 * once the changes pause. A Coalescer is told of each change (`poke`) and calls `flush`:
 * - after the next painted frame, for a change that comes after a quiet spell (a single click
 *   or key press: its map frame is painted first, then the slow views follow);
 * - otherwise once no change came for `quietMs` (the drag paused or ended), or `maxWaitMs` after
 *   the first change it has not flushed yet (a long drag still shows progress).
 * A change while a pointer is pressed (`held`: a slider or the map is being dragged) is never a
 * lone change, however long the page took since the one before: on a loaded machine inputs come
 * slowly, and flushing after each would redraw the slow views on every input. With
 * `flushWhileHeld: false` nothing flushes until the pointer is let go (`release`), for work that
 * should not start mid-drag at all (the basin maps' workers).
 * Every poke is followed by a flush, so after the changes stop every view shows the last state.
 */
export interface CoalesceOptions {
  /** a flush waits for this long without changes (ms) */
  quietMs?: number;
  /** and never longer than this after the first change it covers (ms) */
  maxWaitMs?: number;
  /** true while a pointer is pressed on the page (a drag may be under way) */
  held?: () => boolean;
  /** while held, a flush waits for this long without changes (ms; default quietMs) */
  heldQuietMs?: number;
  /** false: while held, wait for `release` instead of flushing after quietMs or maxWaitMs */
  flushWhileHeld?: boolean;
  /** schedules `run` after the next painted frame; returns a cancel function */
  afterPaint?: (run: () => void) => () => void;
  now?: () => number;
}

/** rAF runs before the frame's paint; a task queued from it runs after the paint. */
export function afterNextPaint(run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (timer = setTimeout(run, 0)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

export class Coalescer {
  readonly #flush: () => void;
  readonly #quietMs: number;
  readonly #maxWaitMs: number;
  readonly #afterPaint: (run: () => void) => () => void;
  readonly #now: () => number;
  readonly #held: () => boolean;
  readonly #heldQuietMs: number;
  readonly #flushWhileHeld: boolean;
  #pending = false;
  #firstPoke = 0;
  #lastPoke = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #cancelPaint: (() => void) | null = null;

  constructor(flush: () => void, opts: CoalesceOptions = {}) {
    this.#flush = flush;
    this.#quietMs = opts.quietMs ?? 120;
    this.#maxWaitMs = opts.maxWaitMs ?? 1000;
    this.#afterPaint = opts.afterPaint ?? afterNextPaint;
    this.#now = opts.now ?? (() => performance.now());
    this.#held = opts.held ?? (() => false);
    this.#heldQuietMs = opts.heldQuietMs ?? this.#quietMs;
    this.#flushWhileHeld = opts.flushWhileHeld ?? true;
  }

  /** true while a change waits for its flush */
  get pending(): boolean {
    return this.#pending;
  }

  /** A change happened: schedules a flush. */
  poke(): void {
    const t = this.#now();
    const quiet = !this.#pending && t - this.#lastPoke >= this.#quietMs && !this.#held();
    this.#lastPoke = t;
    if (!this.#pending) this.#firstPoke = t;
    this.#pending = true;
    if (quiet) this.#cancelPaint ??= this.#afterPaint(() => this.flush());
    else this.#arm();
  }

  /** how long the changes must pause for a flush, now */
  #quiet(): number {
    return this.#held() ? this.#heldQuietMs : this.#quietMs;
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const t = this.#now();
    const wait = Math.min(
      this.#quiet() - (t - this.#lastPoke),
      this.#maxWaitMs - (t - this.#firstPoke),
    );
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (!this.#pending) return;
        // let go of the pointer first (release() arms the timer again)
        if (!this.#flushWhileHeld && this.#held()) return;
        const now = this.#now();
        if (now - this.#lastPoke >= this.#quiet() || now - this.#firstPoke >= this.#maxWaitMs)
          this.flush();
        else this.#arm();
      },
      Math.max(0, wait),
    );
  }

  /** The pointer was let go: a change that waited for it flushes once quietMs have passed. */
  release(): void {
    if (!this.#pending) return;
    // the wait armed while held may be longer than the one that applies now
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#arm();
  }

  /** Runs a pending flush now (an export that needs the latest state, say). */
  flush(): void {
    this.#cancel();
    if (!this.#pending) return;
    this.#pending = false;
    this.#flush();
  }

  #cancel(): void {
    this.#cancelPaint?.();
    this.#cancelPaint = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Drops what is pending (the view is going away). */
  dispose(): void {
    this.#cancel();
    this.#pending = false;
  }
}
