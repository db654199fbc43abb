// Builds the web UI into web/dist, which `mamori serve` serves at `/`.
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import postcssPresetMantine from 'postcss-preset-mantine';

const webRoot = import.meta.dirname;

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  css: { postcss: { plugins: [postcssPresetMantine()] } },
  build: {
    outDir: path.join(webRoot, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    // `mamori serve` on PORT=8099 answers the API while Vite serves the UI with hot reload.
    proxy: { '/api': { target: process.env.MAMORI_API_URL ?? 'http://localhost:8099', changeOrigin: false } },
  },
});
