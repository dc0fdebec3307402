import type { Runtime } from '../kernels/runtime.js';

/**
 * Zeroes the rows of x [rows, width] whose step mask [rows] is 0 (in place). A plain loop over the
 * arena: masks are per row, and no kernel scales rows by a vector.
 */
export function zeroMaskedRows(runtime: Runtime, x: number, mask: number, rows: number, width: number): void {
  const heap = runtime.arena.storage.data;
  const m = mask >>> 2;
  const base = x >>> 2;
  for (let row = 0; row < rows; row++) if (heap[m + row] === 0) heap.fill(0, base + row * width, base + (row + 1) * width);
}
