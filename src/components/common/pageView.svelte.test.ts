/**
 * PageView's key handler (pageView.svelte.ts), as every page uses it: `?` opens the keys list,
 * `p` toggles presenter mode on the page's root, the page's own keys go to its handler, and a key
 * nobody takes, a key typed into a field or one with a modifier is left alone (not prevented).
 */
import { describe, expect, it, vi } from 'vitest';
import { PageView } from './pageView.svelte';

/** A keydown as the window sees it, with its target and whether it was prevented. */
function press(key: string, o: { target?: string; ctrlKey?: boolean } = {}) {
  const e = {
    key,
    altKey: false,
    ctrlKey: o.ctrlKey ?? false,
    metaKey: false,
    defaultPrevented: false,
    target: { closest: (sel: string) => (o.target && sel.includes(o.target) ? {} : null) },
    preventDefault() {
      e.defaultPrevented = true;
    },
  };
  return e;
}

// Vitest runs Svelte's server build, where the presenter's effect does not run: no document needed
function make() {
  const taken: string[] = [];
  const view = new PageView([['s', 'one step']], (key) => {
    if (key !== 's') return false;
    taken.push(key);
    return true;
  });
  return { view, taken };
}

describe('PageView', () => {
  it('opens the keys list on ?, toggles presenter mode on p with the page root', () => {
    const { view } = make();
    const root = { requestFullscreen: undefined } as unknown as HTMLElement;
    view.root = root;
    const toggle = vi.spyOn(view.presenter, 'toggle').mockImplementation(() => {});
    const q = press('?');
    view.onkeydown(q as unknown as KeyboardEvent);
    expect(view.helpOpen).toBe(true);
    expect(q.defaultPrevented).toBe(true);
    const p = press('p');
    view.onkeydown(p as unknown as KeyboardEvent);
    expect(toggle).toHaveBeenCalledWith(root);
    expect(p.defaultPrevented).toBe(true);
  });

  it('hands other keys to the page, and leaves what nobody takes alone', () => {
    const { view, taken } = make();
    const s = press('s');
    view.onkeydown(s as unknown as KeyboardEvent);
    expect(taken).toEqual(['s']);
    expect(s.defaultPrevented).toBe(true);
    const x = press('x');
    view.onkeydown(x as unknown as KeyboardEvent);
    expect(x.defaultPrevented).toBe(false);
    expect(view.helpOpen).toBe(false);
  });

  it('ignores keys typed into a field and keys with a modifier', () => {
    const { view, taken } = make();
    for (const e of [press('?', { target: 'input' }), press('s', { ctrlKey: true })]) {
      view.onkeydown(e as unknown as KeyboardEvent);
      expect(e.defaultPrevented).toBe(false);
    }
    expect(view.helpOpen).toBe(false);
    expect(taken).toEqual([]);
  });
});
