import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

// This file lives in web/; Vite is started from the repo root with
// `--config web/vite.config.ts`, so resolve the root from this file's URL.
const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  base: '/',
  // Keep Vite's dev cache with the root node_modules instead of creating web/node_modules.
  cacheDir: '../node_modules/.vite/web',
  plugins: [
    react(),
    // Brotli and gzip copies beside each text file, made once here and served as they are (src/common/http/compression.ts).
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(html|css|js|mjs|json|svg|webmanifest)$/ }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Keep font files as separate, cacheable assets (never inlined).
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/health': { target: api },
      '/ready': { target: api },
      '/admin': { target: api },
    },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
  },
});
