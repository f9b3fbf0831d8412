import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The built page's Content-Security-Policy, as a meta tag (the page is hosted statically). Scripts from the page's
 * own origin only, no eval; 'wasm-unsafe-eval' lets the WASM backend compile its module; workers from 'self'
 * (the trainer) and blob: (tfjs); inline styles because Plotly writes style attributes and a <style> element;
 * data: and blob: images for PNG export. The dev server's hot reload injects inline scripts, so `npm start` runs
 * without it; tests/e2e/train.spec.ts checks the built page under it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
      ),
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  // vega-datasets exports only its index (every data set, 2 MB); the alias reaches the one JSON file a data set
  // needs (src/core/realDataLoad.ts), each its own chunk loaded when opened. tsconfig's paths says the same to tsc and tsx.
  resolve: {
    alias: { 'vega-datasets-data': fileURLToPath(new URL('./node_modules/vega-datasets/data', import.meta.url)) },
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // The benchmark page ships with the build (npm run bench serves it) but not with the explorer's first load.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  server: { port: 5173 },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    setupFiles: ['tests/unit/setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
