/**
 * The dashboard's build: `npm run build:web` bundles web/ into web/dist, which the API serves at `/`.
 * During development, `npx vite web --config web/vite.config.ts` serves it with the API proxied.
 */
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true, chunkSizeWarningLimit: 900 },
  server: { proxy: { "/v1": "http://127.0.0.1:3000" } },
});
