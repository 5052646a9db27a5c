import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into web/dist and served by the API at /: hashed files under /assets (cached for a year), no CDN.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'assets', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/orchestrate': 'http://127.0.0.1:8080' } },
});
