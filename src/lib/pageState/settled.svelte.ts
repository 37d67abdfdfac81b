/**
 * A reactive value that follows `source` through a Coalescer (coalesce.ts): `current` is the
 * source's value as of the last flush. Views that are slow to redraw read `current`; the fast
 * ones read the source itself. While a pointer is pressed anywhere on the page (a slider or the
 * map being dragged), changes count as a drag (the Coalescer's `held`), and letting go is told to
 * the Coalescer (`release`). A source that returns a new object of the same parts (each the same
 * by ===) has not changed. Create it during a component's initialisation (it owns effects).
 */
import { untrack } from 'svelte';
import { Coalescer, type CoalesceOptions } from './coalesce';

export class Settled<T> {
  #current: T = $state.raw() as T;
  #pending = $state(false);
  #latest: T;
  readonly #coalescer: Coalescer;

  constructor(source: () => T, opts: Omit<CoalesceOptions, 'held'> = {}) {
    this.#latest = this.#current = untrack(source);
    let held = false;
    const flush = () => {
      this.#current = this.#latest;
      this.#pending = false;
    };
    this.#coalescer = new Coalescer(flush, { ...opts, held: () => held });
    $effect(() => {
      const value = source();
      if (sameParts(value, this.#latest)) return;
      this.#latest = value;
      this.#pending = true;
      this.#coalescer.poke();
    });
    $effect(() => {
      const down = () => (held = true);
      const up = () => {
        held = false;
        this.#coalescer.release();
      };
      // capture: a control that stops the event still counts
      addEventListener('pointerdown', down, true);
      addEventListener('pointerup', up, true);
      addEventListener('pointercancel', up, true);
      // a button let go outside the window sends no pointerup here
      addEventListener('blur', up);
      return () => {
        removeEventListener('pointerdown', down, true);
        removeEventListener('pointerup', up, true);
        removeEventListener('pointercancel', up, true);
        removeEventListener('blur', up);
        this.#coalescer.dispose();
      };
    });
  }

  /** the source's value at the last flush */
  get current(): T {
    return this.#current;
  }

  /** true while the source has changed since the last flush */
  get pending(): boolean {
    return this.#pending;
  }

  /** Takes the latest value now (before reading a view that must be up to date). */
  flush(): void {
    this.#coalescer.flush();
  }
}

/** a and b are the same value, or plain objects whose own fields are each the same value */
export function sameParts(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(
    (k) => k in b && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k],
  );
}
