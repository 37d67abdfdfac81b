/**
 * A reactive value that follows `source` through a Coalescer (coalesce.ts): `current` is the
 * source's value as of the last flush. Views that are slow to redraw read `current`; the fast
 * ones read the source itself. Create it during a component's initialisation (it owns effects).
 */
import { untrack } from 'svelte';
import { Coalescer, type CoalesceOptions } from './coalesce';

export class Settled<T> {
  #current: T = $state.raw() as T;
  #latest: T;
  readonly #coalescer: Coalescer;

  constructor(source: () => T, opts: CoalesceOptions = {}) {
    this.#latest = this.#current = untrack(source);
    this.#coalescer = new Coalescer(() => (this.#current = this.#latest), opts);
    $effect(() => {
      const value = source();
      if (value === untrack(() => this.#current)) return;
      this.#latest = value;
      this.#coalescer.poke();
    });
    $effect(() => () => this.#coalescer.dispose());
  }

  /** the source's value at the last flush */
  get current(): T {
    return this.#current;
  }

  /** Takes the latest value now (before reading a view that must be up to date). */
  flush(): void {
    this.#coalescer.flush();
  }
}
