/**
 * Presenter mode, shared by both pages: large type (html.presenter in app.css), full screen when
 * the browser allows it, the settings in a drawer and the figures larger (each page's CSS under
 * `.presenter`). Leaving full screen (Escape) leaves presenter mode.
 */
export class Presenter {
  on = $state(false);
  /** the settings drawer, open or closed (presenter mode only) */
  drawer = $state(false);

  toggle(root: HTMLElement | undefined) {
    this.set(!this.on, root);
  }

  set(on: boolean, root?: HTMLElement) {
    this.on = on;
    this.drawer = false;
    document.documentElement.classList.toggle('presenter', on);
    if (on) root?.requestFullscreen?.().catch(() => {});
    else if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }

  /** Call from an $effect: follows full screen's exit, and clears the class when the page goes. */
  attach(): () => void {
    const onFullscreen = () => {
      if (!document.fullscreenElement && this.on) this.set(false);
    };
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      document.removeEventListener('fullscreenchange', onFullscreen);
      document.documentElement.classList.remove('presenter');
    };
  }
}
