/**
 * A fast, non-cryptographic 64-bit string hash (cyrb53's mixing, both 32-bit lanes kept), as 16
 * lowercase hex digits. Pure JavaScript on purpose: `shared/domain` imports no Node module.
 *
 * Collisions: for n distinct inputs the chance of any collision is about n² / 2⁶⁵, i.e. ~3e-8
 * for a million distinct texts in one period; a collision merely counts two texts as one.
 * Not for security: anyone can construct colliding inputs.
 */
export function hash64(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}
