import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The embed loader: one classic IIFE script (`dist/embed.js`) that any host page includes with a
 * `<script>` tag. No framework and no dependencies, so it costs the host page almost nothing; the chat
 * itself loads lazily in an iframe on the first click. Budget: 5 KB gzip.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    copyPublicDir: false,
    target: 'es2019',
    minify: true,
    lib: {
      entry: fileURLToPath(new URL('src/embed/embed.ts', import.meta.url)),
      name: 'ZhengnaEmbed',
      formats: ['iife'],
      fileName: () => 'embed.js',
    },
  },
});
