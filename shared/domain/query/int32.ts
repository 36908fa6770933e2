/** `a` when it holds `size` elements, else a copy at least twice as long (amortized growth). */
export function withCapacity(a: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  if (size <= a.length) return a;
  const b = new Int32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}
