import type { HeapArray } from '../../memory/storage.js';

// GEMM twins: C = alpha·op(A)·op(B) + beta·C on row-major blocks with leading dimensions.
// The three variants differ only in the strides through which op(A) and op(B) are read, so
// they share one register-blocked loop. beta = 0 overwrites C without reading it (NaN in C is
// ignored); k = 0 leaves beta·C (0 when beta = 0).

/** c: [m, n] (ldc); a: [m, k] (lda); b: [k, n] (ldb). C = alpha·A·B + beta·C. */
export function gemmNN(heap: HeapArray, c: number, a: number, b: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, alpha: number, beta: number): void {
  gemmStrided(heap, c >>> 2, ldc, a >>> 2, lda, 1, b >>> 2, ldb, 1, m, n, k, alpha, beta);
}

/** c: [m, n] (ldc); a: [m, k] (lda); b: [n, k] (ldb), used transposed. C = alpha·A·Bᵀ + beta·C (X·Wᵀ). */
export function gemmNT(heap: HeapArray, c: number, a: number, b: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, alpha: number, beta: number): void {
  gemmStrided(heap, c >>> 2, ldc, a >>> 2, lda, 1, b >>> 2, 1, ldb, m, n, k, alpha, beta);
}

/** c: [m, n] (ldc); a: [k, m] (lda), used transposed; b: [k, n] (ldb). C = alpha·Aᵀ·B + beta·C (dYᵀ·X). */
export function gemmTN(heap: HeapArray, c: number, a: number, b: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, alpha: number, beta: number): void {
  gemmStrided(heap, c >>> 2, ldc, a >>> 2, 1, lda, b >>> 2, ldb, 1, m, n, k, alpha, beta);
}

/** Columns of one packB panel (the Wasm micro-kernel's tile width). */
const PANEL = 8;

/** dst: [⌈n/8⌉, k, 8] written = op(B) [k, n] in panels of 8 columns, zero-padded; b: [k, n] (ldb), or [n, k] when transB = 1. */
export function packB(heap: HeapArray, dst: number, b: number, k: number, n: number, ldb: number, transB: number): void {
  const out = dst >>> 2;
  const src = b >>> 2;
  const panels = Math.ceil(n / PANEL);
  for (let j = 0; j < panels * PANEL; j++) {
    const panel = out + Math.floor(j / PANEL) * k * PANEL + (j % PANEL);
    for (let p = 0; p < k; p++) heap[panel + p * PANEL] = j >= n ? 0 : heap[transB !== 0 ? src + j * ldb + p : src + p * ldb + j]!;
  }
}

/** c: [m, n] (ldc); a: [m, k] (lda); packedB: op(B) [k, n] as packB wrote it. C = alpha·A·op(B) + beta·C. */
export function gemmPacked(heap: HeapArray, c: number, a: number, packedB: number, m: number, n: number, k: number, lda: number, ldc: number, alpha: number, beta: number): void {
  // Each panel is a [k, 8] row-major block: one strided product per 8 columns of C.
  for (let j0 = 0; j0 < n; j0 += PANEL) {
    const panel = (packedB >>> 2) + (j0 / PANEL) * k * PANEL;
    gemmStrided(heap, (c >>> 2) + j0, ldc, a >>> 2, lda, 1, panel, PANEL, 1, m, Math.min(PANEL, n - j0), k, alpha, beta);
  }
}

/**
 * C = alpha·op(A)·op(B) + beta·C with element indices: op(A)[i, p] = heap[a + i·aRowStride + p·aDepthStride],
 * op(B)[p, j] = heap[b + p·bDepthStride + j·bColStride], C[i, j] = heap[c + i·ldc + j].
 * 4×4 tiles of C are summed in 16 local variables (each loaded A and B value is used four
 * times); the rows and columns left over are plain dot products.
 */
function gemmStrided(
  heap: HeapArray, c: number, ldc: number,
  a: number, aRowStride: number, aDepthStride: number,
  b: number, bDepthStride: number, bColStride: number,
  m: number, n: number, k: number, alpha: number, beta: number,
): void {
  const mTiled = m - (m % 4);
  const nTiled = n - (n % 4);
  for (let i = 0; i < mTiled; i += 4) {
    for (let j = 0; j < nTiled; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let ap = a + i * aRowStride;
      let bp = b + j * bColStride;
      for (let p = 0; p < k; p++) {
        const a0 = heap[ap], a1 = heap[ap + aRowStride], a2 = heap[ap + 2 * aRowStride], a3 = heap[ap + 3 * aRowStride];
        const b0 = heap[bp], b1 = heap[bp + bColStride], b2 = heap[bp + 2 * bColStride], b3 = heap[bp + 3 * bColStride];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        ap += aDepthStride;
        bp += bDepthStride;
      }
      const c0 = c + i * ldc + j;
      storeRow4(heap, c0, c00, c01, c02, c03, alpha, beta);
      storeRow4(heap, c0 + ldc, c10, c11, c12, c13, alpha, beta);
      storeRow4(heap, c0 + 2 * ldc, c20, c21, c22, c23, alpha, beta);
      storeRow4(heap, c0 + 3 * ldc, c30, c31, c32, c33, alpha, beta);
    }
  }
  // The edges: columns nTiled..n of the tiled rows, then the rows mTiled..m in full.
  for (let i = 0; i < m; i++) {
    for (let j = i < mTiled ? nTiled : 0; j < n; j++) {
      let sum = 0;
      let ap = a + i * aRowStride;
      let bp = b + j * bColStride;
      for (let p = 0; p < k; p++) {
        sum += heap[ap] * heap[bp];
        ap += aDepthStride;
        bp += bDepthStride;
      }
      storeScaled(heap, c + i * ldc + j, sum, alpha, beta);
    }
  }
}

function storeRow4(heap: HeapArray, at: number, s0: number, s1: number, s2: number, s3: number, alpha: number, beta: number): void {
  storeScaled(heap, at, s0, alpha, beta);
  storeScaled(heap, at + 1, s1, alpha, beta);
  storeScaled(heap, at + 2, s2, alpha, beta);
  storeScaled(heap, at + 3, s3, alpha, beta);
}

/** heap[at] = alpha·sum + beta·heap[at]; beta = 0 never reads heap[at] (it may hold NaN). */
function storeScaled(heap: HeapArray, at: number, sum: number, alpha: number, beta: number): void {
  heap[at] = beta === 0 ? alpha * sum : alpha * sum + beta * heap[at];
}
