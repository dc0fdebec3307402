import type { HeapArray } from '../../memory/storage.js';

// Twins of assembly/clip.ts.

/** Returns Σ x² over x: [n], in double. */
export function sumOfSquares(heap: HeapArray, x: number, n: number): number {
  const X = x >>> 2;
  let total = 0;
  for (let i = 0; i < n; i++) total += heap[X + i]! * heap[X + i]!;
  return total;
}

/** x: [n] = min(max(x, lo), hi) in place; NaN stays NaN. */
export function clipByValue(heap: HeapArray, x: number, n: number, lo: number, hi: number): void {
  const X = x >>> 2;
  for (let i = 0; i < n; i++) heap[X + i] = Math.min(Math.max(heap[X + i]!, lo), hi);
}

/** Returns how many of x: [n] are NaN or ±Infinity. */
export function countNonFinite(heap: HeapArray, x: number, n: number): number {
  const X = x >>> 2;
  let count = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(heap[X + i]!)) count++;
  return count;
}
