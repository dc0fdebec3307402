import type { Runtime } from '../kernels/runtime.js';

/**
 * Lets a per-step loss skip the steps a masking layer masked, as Keras does: the targets of the
 * rows whose step mask [rows] is 0 get the neutral value of padded steps (class id −1, else 0;
 * see dataset.ts), in place in the loaded batch's targets y [rows, width]. Returns the number of
 * real rows, at least 1 (a batch with every step masked then has loss 0, not NaN).
 */
export function maskTargets(runtime: Runtime, y: number, mask: number, rows: number, width: number, classIds: boolean): number {
  const heap = runtime.arena.storage.data;
  const m = mask >>> 2;
  const base = y >>> 2;
  let real = 0;
  for (let row = 0; row < rows; row++) {
    if (heap[m + row] !== 0) real++;
    else heap.fill(classIds ? -1 : 0, base + row * width, base + (row + 1) * width);
  }
  return Math.max(1, real);
}
