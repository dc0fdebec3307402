import type { Kernels } from './kernels.js';

/** A region of the heap: byte offset and f32 element count (an arena Handle fits). */
export interface HeapRegion {
  readonly offset: number;
  readonly length: number;
}

/**
 * Global-norm gradient clipping, as PyTorch's `clip_grad_norm_` with the L2 norm: the norm of all
 * buffers taken together, √(Σ_buffers Σ x²) (each `sumOfSquares` accumulates in f64); when it
 * exceeds `maxNorm`, every buffer is scaled by maxNorm / norm. Returns the norm before clipping.
 *
 * A NaN or infinite norm leaves the buffers unchanged: scaling by 0 or NaN would destroy every
 * gradient, and the caller (which sees the norm) can skip the step instead. The factor reaches the
 * Wasm kernel as an f32, so it is exact to 2^-24 as long as norm / maxNorm < 2^126.
 */
export function clipByGlobalNorm(kernels: Kernels, buffers: readonly HeapRegion[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new RangeError(`clipByGlobalNorm: maxNorm must be a positive number, got ${String(maxNorm)}`);
  let sumOfSquares = 0;
  for (const buffer of buffers) sumOfSquares += kernels.sumOfSquares(buffer.offset, buffer.length);
  const norm = Math.sqrt(sumOfSquares);
  if (norm > maxNorm && Number.isFinite(norm)) {
    const factor = maxNorm / norm;
    for (const buffer of buffers) kernels.scale(buffer.offset, buffer.length, factor);
  }
  return norm;
}
