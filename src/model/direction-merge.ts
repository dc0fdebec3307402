import type { Kernels } from '../kernels/kernels.js';
import type { MergeMode } from './layer-specs.js';

/*
 * Keras' merge modes of a bidirectional layer other than 'concat', on two contiguous [rows, H]
 * blocks: forward output f and backward output b. Forward writes out = f + b, f ⊙ b or
 * (f + b) / 2; backward WRITES ∂L/∂f and ∂L/∂b from ∂L/∂out (mul reads f and b, which must be
 * unchanged since forward).
 */

/** out: [rows, H] = merge(f, b); n = rows·H. */
export function mergeForward(k: Kernels, mode: Exclude<MergeMode, 'concat'>, out: number, f: number, b: number, n: number): void {
  if (mode === 'mul') {
    k.hadamard(out, f, b, n);
    return;
  }
  k.copy(out, f, n);
  k.axpy(out, b, n, 1);
  if (mode === 'ave') k.scale(out, n, 0.5);
}

/** df, db: [rows, H] = ∂L/∂f, ∂L/∂b given dOut = ∂L/∂out; n = rows·H. */
export function mergeBackward(k: Kernels, mode: Exclude<MergeMode, 'concat'>, df: number, db: number, dOut: number, f: number, b: number, n: number): void {
  if (mode === 'mul') {
    k.hadamard(df, dOut, b, n);
    k.hadamard(db, dOut, f, n);
    return;
  }
  k.copy(df, dOut, n);
  k.copy(db, dOut, n);
  if (mode === 'ave') {
    k.scale(df, n, 0.5);
    k.scale(db, n, 0.5);
  }
}
