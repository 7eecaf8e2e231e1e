// The web console's build: a single-page app served by the Pasarela server under /console/.
// `npm run build:console` (run by `npm ci` through the prepare script) writes console/dist;
// `npm run dev:console` serves it with hot reload, proxying the API to a running server.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    // The shared validation rules live in ../src (the server's own files).
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/console/api': 'http://localhost:3000', '/p/': 'http://localhost:3000', '/bc38875a09308a2': 'http://localhost:3000' },
  },
});
