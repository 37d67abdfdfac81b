/**
 * What every page shares around presenter mode and its keys (decisions.md, "Teaching and
 * accessibility"): the Presenter, the page's root element (presenter mode takes it full screen),
 * the keyboard-help panel's state and the window key handler: `p` presenter mode on/off, `?` the
 * list of keys, then the page's own keys (`onkey` returns true when it took the key). Create it
 * while a component initialises: it registers the presenter's effect. PageKeys.svelte mounts the
 * handler and the panel; ViewButtons.svelte shows the buttons.
 */
import { pageKey } from './keys';
import { Presenter } from './presenter.svelte';

export type KeyList = readonly (readonly [string, string])[];

/** The keys every page has, for the end of a page's list. */
export const PAGE_KEYS: KeyList = [
  ['p', 'presenter mode on / off'],
  ['?', 'this list'],
];

export class PageView {
  readonly presenter = new Presenter();
  /** the element presenter mode takes full screen (bind:this) */
  root = $state<HTMLElement>();
  helpOpen = $state(false);
  readonly keys: KeyList;
  readonly #onkey: (key: string) => boolean;

  constructor(keys: KeyList, onkey: (key: string) => boolean = () => false) {
    this.keys = keys;
    this.#onkey = onkey;
    $effect(() => this.presenter.attach());
  }

  readonly onkeydown = (e: KeyboardEvent): void => {
    const key = pageKey(e);
    if (key === null) return;
    if (key === 'p') this.presenter.toggle(this.root);
    else if (key === '?') this.helpOpen = true;
    else if (!this.#onkey(key)) return;
    e.preventDefault();
  };
}
