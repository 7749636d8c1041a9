import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const page = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One multi-page build: every face is its own HTML entry so a page only loads the code of its face
 * (the chat widget in particular must not pull in the workspace). The embed loader is built separately
 * by vite.embed.config.ts because it has to be a single classic script.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // A zod schema is a value, not an action: one that no page reads can go (the contracts define them all).
      treeshake: { manualPureFunctions: ['z'] },
      input: {
        home: page('index.html'),
        portalLogin: page('portal/login.html'),
        portalAccount: page('portal/account.html'),
        portalInvoice: page('portal/invoice.html'),
        widget: page('widget/index.html'),
        workspace: page('workspace/index.html'),
        admin: page('admin/index.html'),
      },
    },
  },
  server: {
    // During development the API and Socket.IO run on the server (default port 3000).
    proxy: {
      '/api': { target: process.env.ZN_API_ORIGIN ?? 'http://localhost:3000', changeOrigin: false },
      '/socket.io': { target: process.env.ZN_API_ORIGIN ?? 'http://localhost:3000', ws: true },
    },
  },
});
