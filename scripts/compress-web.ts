/**
 * After `vite build`: writes a Brotli and a gzip copy of every text asset of web/dist/assets, which
 * the API serves to browsers that accept them (@fastify/static `preCompressed`), so nothing is
 * compressed per request.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = join(import.meta.dirname, "../web/dist/assets");
let raw = 0;
let br = 0;
for (const name of readdirSync(dir)) {
  if (!/\.(js|css|svg)$/.test(name)) continue;
  const body = readFileSync(join(dir, name));
  const b = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(join(dir, `${name}.br`), b);
  writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
  raw += body.length;
  br += b.length;
}
console.log(`dashboard assets: ${(raw / 1024).toFixed(0)} KiB, ${(br / 1024).toFixed(0)} KiB with Brotli`);
