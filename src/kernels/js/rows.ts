import type { HeapArray } from '../../memory/storage.js';

// Twins of assembly/rows.ts. Pointers are byte offsets; `>>> 2` turns them into element indices.

/** y: [rows, cols] += b: [cols] on every row. */
export function addRowVector(heap: HeapArray, y: number, b: number, rows: number, cols: number): void {
  const Y = y >>> 2;
  const B = b >>> 2;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) heap[Y + r * cols + j] += heap[B + j]!;
  }
}

/** db: [cols] += column sums of x: [rows, cols]. */
export function sumRows(heap: HeapArray, db: number, x: number, rows: number, cols: number): void {
  const D = db >>> 2;
  const X = x >>> 2;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) heap[D + j] += heap[X + r * cols + j]!;
  }
}

/** x: [n] = value. */
export function fill(heap: HeapArray, x: number, value: number, n: number): void {
  const X = x >>> 2;
  for (let i = 0; i < n; i++) heap[X + i] = value;
}

/** dst: [n] = src: [n]; dst may equal src. */
export function copy(heap: HeapArray, dst: number, src: number, n: number): void {
  const D = dst >>> 2;
  const S = src >>> 2;
  for (let i = 0; i < n; i++) heap[D + i] = heap[S + i]!;
}

/** dst: [rows, cols] with row stride ldDst = src: [rows, cols] with row stride ldSrc. */
export function copyRows(heap: HeapArray, dst: number, src: number, rows: number, cols: number, ldDst: number, ldSrc: number): void {
  const D = dst >>> 2;
  const S = src >>> 2;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) heap[D + r * ldDst + j] = heap[S + r * ldSrc + j]!;
  }
}

/** y: [n] += alpha · x: [n]. */
export function axpy(heap: HeapArray, y: number, x: number, n: number, alpha: number): void {
  const Y = y >>> 2;
  const X = x >>> 2;
  for (let i = 0; i < n; i++) heap[Y + i] += alpha * heap[X + i]!;
}

/** x: [n] *= alpha. */
export function scale(heap: HeapArray, x: number, n: number, alpha: number): void {
  const X = x >>> 2;
  for (let i = 0; i < n; i++) heap[X + i] *= alpha;
}

/** z: [n] = x ⊙ y; z may alias x or y. */
export function hadamard(heap: HeapArray, z: number, x: number, y: number, n: number): void {
  const Z = z >>> 2;
  const X = x >>> 2;
  const Y = y >>> 2;
  for (let i = 0; i < n; i++) heap[Z + i] = heap[X + i]! * heap[Y + i]!;
}
