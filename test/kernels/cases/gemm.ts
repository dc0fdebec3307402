import fc from 'fast-check';
import { mixedFloats, size } from '../../helpers/arbitraries.js';
import type { Tolerance } from '../../helpers/close.js';
import type { KernelCall } from '../call.js';
import type { KernelCase } from '../case.js';

export type GemmKernel = 'gemmNN' | 'gemmNT' | 'gemmTN';

/** Where op(A)[i, p] and op(B)[p, j] sit in their buffers, and the row-major shape of each buffer. */
export interface GemmLayout {
  aIndex(i: number, p: number, lda: number): number;
  bIndex(p: number, j: number, ldb: number): number;
  /** [rows, minimum leading dimension] of the A buffer for an m×k op(A). */
  aShape(m: number, k: number): [number, number];
  /** [rows, minimum leading dimension] of the B buffer for a k×n op(B). */
  bShape(k: number, n: number): [number, number];
}

export const GEMM_LAYOUTS: Record<GemmKernel, GemmLayout> = {
  gemmNN: { aIndex: (i, p, lda) => i * lda + p, bIndex: (p, j, ldb) => p * ldb + j, aShape: (m, k) => [m, k], bShape: (k, n) => [k, n] },
  gemmNT: { aIndex: (i, p, lda) => i * lda + p, bIndex: (p, j, ldb) => j * ldb + p, aShape: (m, k) => [m, k], bShape: (k, n) => [n, k] },
  gemmTN: { aIndex: (i, p, lda) => p * lda + i, bIndex: (p, j, ldb) => p * ldb + j, aShape: (m, k) => [k, m], bShape: (k, n) => [k, n] },
};

/** The sizes and scalars of one call; leading dimensions are the minimum plus `pad` spare columns. */
export interface GemmShape {
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  padA: number;
  padB: number;
  padC: number;
}

/** Leading dimensions of a call (never below 1, so a k = 0 call still has non-empty buffers). */
export function leadingDims(kernel: GemmKernel, { m, n, k, padA, padB, padC }: GemmShape): { lda: number; ldb: number; ldc: number } {
  const layout = GEMM_LAYOUTS[kernel];
  return {
    lda: Math.max(1, layout.aShape(m, k)[1]) + padA,
    ldb: Math.max(1, layout.bShape(k, n)[1]) + padB,
    ldc: Math.max(1, n) + padC,
  };
}

/** Element counts of the A, B and C buffers of a call, spare columns included. */
export function bufferLengths(kernel: GemmKernel, shape: GemmShape): { a: number; b: number; c: number } {
  const layout = GEMM_LAYOUTS[kernel];
  const { lda, ldb, ldc } = leadingDims(kernel, shape);
  return { a: Math.max(1, layout.aShape(shape.m, shape.k)[0]) * lda, b: Math.max(1, layout.bShape(shape.k, shape.n)[0]) * ldb, c: shape.m * ldc };
}

export function gemmCall(kernel: GemmKernel, shape: GemmShape, a: Float32Array, b: Float32Array, c: Float32Array): KernelCall {
  const { lda, ldb, ldc } = leadingDims(kernel, shape);
  // The whole C buffer is compared, so the spare columns right of n must come back untouched.
  return { buffers: { c, a, b }, args: ['c', 'a', 'b', shape.m, shape.n, shape.k, lda, ldb, ldc, shape.alpha, shape.beta], outputs: ['c'] };
}

/** f32 unit roundoff. */
const U = 2 ** -24;

/**
 * How far a computed C may be from the exact alpha·op(A)·op(B) + beta·C, as one abs bound.
 * Each C[i, j] is a dot product of length k; summing it in f32, in any order and in any number
 * of K blocks, is off by at most γ_k·S_ij ≈ k·u·S_ij with S_ij = Σ_p |A_ip·B_pj| (Higham,
 * "Accuracy and Stability of Numerical Algorithms", §3.1), and alpha·s + beta·c adds three more
 * roundings of at most u·(|alpha|·S_ij + |beta·c_ij|) each. One more u covers the TS twin, which
 * sums in double and rounds once to f32. Hence abs = (k + 4)·u·max_ij(|alpha|·S_ij + |beta·c_ij|),
 * rel = 0. It is a worst-case bound, so it never flakes, yet an indexing bug (a product dropped,
 * misplaced or counted twice) is off by a whole term, orders of magnitude more. Non-finite terms
 * are left out of the bound: elements that come out ±Infinity or NaN must match exactly.
 */
export function gemmErrorBound(kernel: GemmKernel, call: KernelCall): Tolerance {
  const [, , , m, n, k, lda, ldb, ldc, alpha, beta] = call.args as [string, string, string, number, number, number, number, number, number, number, number];
  const layout = GEMM_LAYOUTS[kernel];
  const { a, b, c } = call.buffers as { a: Float32Array; b: Float32Array; c: Float32Array };
  return productErrorBound(
    { m, n, k, alpha, beta },
    (i, p) => a[layout.aIndex(i, p, lda)]!, (p, j) => b[layout.bIndex(p, j, ldb)]!, (i, j) => c[i * ldc + j]!,
  );
}

/** The bound of gemmErrorBound for any operand layout: element accessors of op(A), op(B) and C. */
export function productErrorBound(
  { m, n, k, alpha, beta }: { m: number; n: number; k: number; alpha: number; beta: number },
  aAt: (i: number, p: number) => number, bAt: (p: number, j: number) => number, cAt: (i: number, j: number) => number,
): Tolerance {
  let largest = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += Math.abs(aAt(i, p) * bAt(p, j));
      const term = Math.abs(alpha) * s + (beta === 0 ? 0 : Math.abs(beta * cAt(i, j)));
      if (Number.isFinite(term) && term > largest) largest = term;
    }
  }
  return { abs: (k + 4) * U * largest, rel: 0 };
}

export const scalars = fc.constantFrom(1, 0, -0.5, 2);
export const pads = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) });
const shapes: fc.Arbitrary<GemmShape> = fc.record({ m: size(), n: size(), k: size(), alpha: scalars, beta: scalars, padA: pads, padB: pads, padC: pads });

/** Random calls: sizes 1..70, values mostly in [-1, 1] with some ±1e4 and ±1e-6, C too. */
function randomCalls(kernel: GemmKernel): fc.Arbitrary<KernelCall> {
  return shapes.chain((shape) => {
    const lengths = bufferLengths(kernel, shape);
    return fc.tuple(mixedFloats(lengths.a), mixedFloats(lengths.b), mixedFloats(lengths.c)).map(([a, b, c]) => gemmCall(kernel, shape, a, b, c));
  });
}

/** Deterministic values in [-1, 1] for the fixed calls (a small LCG, so the cases need no seed). */
export function ramp(length: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 1073741824 - 1;
  });
}

function fixedCall(kernel: GemmKernel, shape: Partial<GemmShape> & Pick<GemmShape, 'm' | 'n' | 'k'>, fillC?: number): KernelCall {
  const full: GemmShape = { alpha: 1, beta: 1, padA: 0, padB: 0, padC: 0, ...shape };
  const lengths = bufferLengths(kernel, full);
  const c = fillC === undefined ? ramp(lengths.c, 3) : new Float32Array(lengths.c).fill(fillC);
  return gemmCall(kernel, full, ramp(lengths.a, 1), ramp(lengths.b, 2), c);
}

/** A call whose A holds a NaN and B an Infinity: they must spread to the same elements in both backends. */
function nonFiniteCall(kernel: GemmKernel): KernelCall {
  const call = fixedCall(kernel, { m: 6, n: 10, k: 7, padC: 2 });
  (call.buffers.a as Float32Array)[3] = NaN;
  (call.buffers.b as Float32Array)[5] = Infinity;
  return call;
}

function specialCalls(kernel: GemmKernel): KernelCall[] {
  return [
    fixedCall(kernel, { m: 5, n: 9, k: 0, beta: -0.5, padC: 3 }), // k = 0: C = beta·C
    fixedCall(kernel, { m: 5, n: 9, k: 0, beta: 0, padC: 3 }, NaN), // k = 0, beta = 0: C = 0, spare columns stay NaN
    fixedCall(kernel, { m: 9, n: 17, k: 33, beta: 0, padC: 2 }, NaN), // beta = 0 overwrites a NaN C
    fixedCall(kernel, { m: 9, n: 17, k: 9, alpha: -0.5, beta: 2, padA: 1, padB: 3, padC: 1 }), // 2·tile + 1 in m, n, k
    fixedCall(kernel, { m: 1, n: 37, k: 19, padA: 2, padB: 1, padC: 2 }), // one row (the unpacked path)
    fixedCall(kernel, { m: 3, n: 21, k: 7, beta: 0 }), // three rows, k tail of the f32x4 dot products
    fixedCall(kernel, { m: 13, n: 1, k: 33, padC: 1 }), // one column
    fixedCall(kernel, { m: 4, n: 8, k: 1 }), // exactly one tile, k = 1
    fixedCall(kernel, { m: 6, n: 10, k: 7, alpha: 0, beta: -0.5 }), // alpha = 0: C = beta·C
    nonFiniteCall(kernel),
  ];
}

function gemmCase(kernel: GemmKernel): KernelCase {
  return {
    kernel,
    calls: randomCalls(kernel),
    tolerance: (call) => gemmErrorBound(kernel, call),
    toleranceNote: 'abs (k + 4)·u·max_ij(|alpha|·Σ_p |A_ip·B_pj| + |beta·C_ij|), rel 0 (worst-case dot-product bound)',
    domain: 'm, n, k in 1..70, lda/ldb/ldc + 0..5, alpha, beta in {1, 0, -0.5, 2}, values in [-1, 1] with some ±1e4',
    special: specialCalls(kernel),
  };
}

export const gemmCases: KernelCase[] = [gemmCase('gemmNN'), gemmCase('gemmNT'), gemmCase('gemmTN')];
