import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

// This file lives in web/; Vite is started from the repo root with
// `--config web/vite.config.ts`, so resolve the root from this file's URL.
const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);
const api = 'http://127.0.0.1:3000';
const brand = '#0b4f6c';

export default defineConfig({
  root: webRoot,
  base: '/',
  // Keep Vite's dev cache with the root node_modules instead of creating web/node_modules.
  cacheDir: '../node_modules/.vite/web',
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      // A small registerSW.js file: the CSP (script-src 'self') forbids the inline variant.
      injectRegister: 'script',
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'Migra Media',
        short_name: 'មីហ្គ្រា',
        description: 'Safe-migration campaign testimonies / ទីបន្ទាល់យុទ្ធនាការចំណាកស្រុកដោយសុវត្ថិភាព',
        lang: 'km',
        start_url: '/upload',
        scope: '/',
        display: 'standalone',
        background_color: '#f3f5f7',
        theme_color: brand,
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell and every page's code, so the app opens with no network once opened.
        globPatterns: ['**/*.{js,css,html,woff2,svg,png}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/admin\/queues/, /^\/health$/, /^\/ready$/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // What an educator last saw of their testimonies and account, for when the village has no signal.
            // Written inline: Workbox copies this function's text into sw.js, without the variables around it.
            urlPattern: ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && /^\/api\/(testimonies|auth\/me)$/.test(url.pathname),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'migra-api',
              networkTimeoutSeconds: 15,
              expiration: { maxEntries: 40 },
              plugins: [
                {
                  // Tells the page (web/src/offline.ts) that what it shows is what was seen last, not fresh.
                  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
                    if (!cachedResponse) return cachedResponse;
                    const headers = new Headers(cachedResponse.headers);
                    headers.set('Migra-Saved-Copy', '1');
                    return new Response(await cachedResponse.blob(), { status: cachedResponse.status, headers });
                  },
                },
              ],
            },
          },
        ],
      },
    }),
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
