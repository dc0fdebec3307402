import type { Random } from '../random.js';

/** Input weights W_ih: PyTorch's U(−1/√H, 1/√H), or Keras' Glorot uniform. */
export type InputWeightInit = 'uniform' | 'glorotUniform';
/** Recurrent weights W_hh: PyTorch's U(−1/√H, 1/√H), or Keras' orthogonal. */
export type RecurrentWeightInit = 'uniform' | 'orthogonal';
/** Biases: PyTorch's U(−1/√H, 1/√H), or Keras' zeros. */
export type BiasInit = 'uniform' | 'zeros';

export const INPUT_WEIGHT_INITS: readonly InputWeightInit[] = ['uniform', 'glorotUniform'];
export const RECURRENT_WEIGHT_INITS: readonly RecurrentWeightInit[] = ['uniform', 'orthogonal'];
export const BIAS_INITS: readonly BiasInit[] = ['uniform', 'zeros'];

type Target = { length: number; [index: number]: number };

/** U(−bound, bound) in every element (PyTorch's RNN default with bound = 1/√hidden). */
export function fillUniform(target: Target, random: Random, bound: number): void {
  for (let i = 0; i < target.length; i++) target[i] = random.uniform(-bound, bound);
}

/** Glorot (Xavier) uniform: U(±√(6 / (fanIn + fanOut))). */
export function fillGlorotUniform(target: Target, random: Random, fanIn: number, fanOut: number): void {
  fillUniform(target, random, Math.sqrt(6 / (fanIn + fanOut)));
}

/**
 * A [rows, cols] row-major matrix whose columns (when rows ≥ cols) or rows (otherwise) are
 * orthonormal: Gaussian entries orthonormalised by modified Gram–Schmidt in float64, which gives
 * the Q of a QR decomposition with a positive diagonal of R, i.e. Keras' `Orthogonal` (gain 1)
 * after its `q *= sign(diag(r))`. For W_hh [G·H, H] this is Keras' recurrent kernel [H, G·H]
 * transposed: the whole kernel is orthogonal, not each gate's block.
 */
export function fillOrthogonal(target: Target, random: Random, rows: number, cols: number): void {
  const byColumns = rows >= cols;
  const count = byColumns ? cols : rows;
  const length = byColumns ? rows : cols;
  const vectors = Array.from({ length: count }, () => Float64Array.from({ length }, () => random.normal()));
  for (let j = 0; j < count; j++) {
    const v = vectors[j]!;
    for (let i = 0; i < j; i++) {
      const q = vectors[i]!;
      let dot = 0;
      for (let k = 0; k < length; k++) dot += q[k]! * v[k]!;
      for (let k = 0; k < length; k++) v[k]! -= dot * q[k]!;
    }
    let norm = 0;
    for (let k = 0; k < length; k++) norm += v[k]! * v[k]!;
    norm = Math.sqrt(norm);
    for (let k = 0; k < length; k++) v[k]! /= norm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) target[r * cols + c] = byColumns ? vectors[c]![r]! : vectors[r]![c]!;
  }
}
