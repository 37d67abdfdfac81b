import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Runes mode everywhere, so Svelte 4 syntax cannot creep in; read by Vite and by svelte-check. */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
