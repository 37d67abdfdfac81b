/**
 * The address bar follows the page's link (issue 12, item 8): history.replaceState costs the
 * browser a few milliseconds each time, too much for every input of a dragged slider. A
 * HashWriter writes a change at once when the last write is at least `intervalMs` old (a click or
 * key press lands immediately), and otherwise keeps only the newest hash and writes it when the
 * interval is over; so during a drag the address bar is at most `intervalMs` behind, and the last
 * hash always lands. `flush` writes a waiting hash now (before something reads the address bar or
 * the page goes away), `cancel` drops it (the user navigated to another link).
 */
export interface HashWriterOptions {
  /** the least time between two writes (ms) */
  intervalMs?: number;
  now?: () => number;
}

export class HashWriter {
  readonly #write: (hash: string) => void;
  readonly #intervalMs: number;
  readonly #now: () => number;
  /** the hash last written (or found in the address bar at the start) */
  #written: string;
  #lastWrite = -Infinity;
  #pending: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `current` is what the address bar holds now (nothing is written for an equal hash). */
  constructor(write: (hash: string) => void, current: string, opts: HashWriterOptions = {}) {
    this.#write = write;
    this.#written = current;
    this.#intervalMs = opts.intervalMs ?? 250;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** the hash waiting to be written, or null */
  get pending(): string | null {
    return this.#pending;
  }

  /** The page's link is now `hash`. */
  set(hash: string): void {
    if (this.#timer === undefined && hash === this.#written) return;
    this.#pending = hash;
    const wait = this.#lastWrite + this.#intervalMs - this.#now();
    if (wait <= 0) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Writes the waiting hash now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const hash = this.#pending;
    this.#pending = null;
    if (hash === null || hash === this.#written) return;
    this.#written = hash;
    this.#lastWrite = this.#now();
    this.#write(hash);
  }

  /** Drops the waiting hash: the address bar now holds `current`, put there by someone else. */
  cancel(current: string): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = null;
    this.#written = current;
  }
}
