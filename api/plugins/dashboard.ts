/**
 * Serves the dashboard (web/, built into web/dist by `npm run build:web`) at `/`: the hashed
 * assets with a year-long cache (and their precompressed .br/.gz copies when the browser takes
 * them), and index.html, never cached, for each of the app's own paths. API paths are not
 * touched: an unknown /v1 route still answers the JSON 404.
 *
 * The pages get @fastify/helmet's headers with a Content-Security-Policy the built app needs and
 * no more: scripts, styles, data and fonts from this origin only; inline style attributes allowed
 * because ECharts writes its tooltips as HTML with style="..." (scripts stay 'self' only). No
 * upgrade-insecure-requests and no HSTS: a self-hosted install is often reached over plain HTTP on
 * a LAN address, where the first would break every asset and the second belongs to whatever
 * terminates TLS. The JSON API is not a page and keeps its plain headers.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fp from "fastify-plugin";
import fastifyStatic from "@fastify/static";
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/** The app's client-side routes (web/src/main.tsx): each answers index.html. */
export const DASHBOARD_PATHS = ["/", "/trends", "/searches", "/searches/:id", "/customers", "/alerts", "/settings"];

/** What the dashboard may load (see the module comment); checked by the browser test. */
export const DASHBOARD_CSP = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:"],
  "font-src": ["'self'", "data:"],
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/** web/dist next to the running code: dist/start.js (built) or api/plugins/dashboard.ts (tsx). */
export function dashboardDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, "../web/dist"), resolve(here, "../../web/dist")]) {
    if (existsSync(join(candidate, "index.html"))) return candidate;
  }
  return null;
}

export default fp(
  async function dashboardPlugin(app: FastifyInstance, opts: { dir: string | null }) {
    const dir = opts.dir;
    if (!dir) {
      // Not built (e.g. a checkout where `npm install --ignore-scripts` skipped the build): say how.
      app.get("/", { schema: { hide: true } }, async (_req, reply) =>
        reply.type("text/plain").send("The dashboard is not built. Run `npm run build:web` (npm install and npm start do it), then reload."),
      );
      return;
    }
    // an encapsulated scope, so helmet's hooks cover the pages and their assets only
    await app.register(async (pages) => {
      await pages.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: DASHBOARD_CSP }, strictTransportSecurity: false });
      await pages.register(fastifyStatic, {
        root: join(dir, "assets"),
        prefix: "/assets/",
        preCompressed: true,
        immutable: true,
        maxAge: "365d",
        wildcard: false,
      });
      for (const path of DASHBOARD_PATHS) {
        pages.get(path, { schema: { hide: true } }, async (_req, reply) =>
          reply.header("cache-control", "no-cache").sendFile("index.html", dir, { maxAge: 0, immutable: false }),
        );
      }
    });
  },
  { name: "dashboard" },
);
