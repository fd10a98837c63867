import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/** `npm run build:web`: the page in web/ bundled into dist/web, which the service serves at `/`. */
export default defineConfig({
  root: here,
  base: '/',
  publicDir: path.join(here, 'public'),
  build: {
    outDir: path.resolve(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One small page: inline nothing (the CSP allows only same-origin scripts and styles).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // `npm run dev:web` proxies the API to a service already running on :4000.
  server: {
    proxy: { '/graphql': { target: 'http://localhost:4000', changeOrigin: false } },
  },
});
