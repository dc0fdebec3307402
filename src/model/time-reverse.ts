import type { Kernels } from '../kernels/kernels.js';

/**
 * dst: [T, rowsPerStep, width] = src with its time steps in reverse order (time-major blocks, as
 * Keras' go_backwards reverses the time axis). dst must not overlap src.
 */
export function reverseSteps(k: Kernels, dst: number, src: number, T: number, rowsPerStep: number, width: number): void {
  const block = rowsPerStep * width;
  for (let t = 0; t < T; t++) k.copy(dst + t * block * 4, src + (T - 1 - t) * block * 4, block);
}
