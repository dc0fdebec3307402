// Broadcasting, reductions and BLAS-1 helpers over f32 buffers. Each is one IEEE operation per
// element in the same order as its TS twin, so the results are bit-identical to the twin on an
// f32 heap (axpy rounds twice, see test/kernels/cases/rows.ts).
import { at } from "./simd";

/** dst[j] += src[j] for j < n. */
@inline function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dst, i), f32x4.add(v128.load(at(dst, i)), v128.load(at(src, i))));
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(dst, i)) + load<f32>(at(src, i)));
}

export function addRowVector(
  y: usize, // [rows, cols] f32, += b on every row
  b: usize, // [cols] f32
  rows: i32,
  cols: i32,
): void {
  for (let r = 0; r < rows; r++) addInto(at(y, r * cols), b, cols);
}

export function sumRows(
  db: usize, // [cols] f32, += column sums of x
  x: usize, // [rows, cols] f32
  rows: i32,
  cols: i32,
): void {
  // Row by row: x is read once, contiguously, and db stays in L1; each column is summed in row order.
  for (let r = 0; r < rows; r++) addInto(db, at(x, r * cols), cols);
}

export function fill(
  x: usize, // [n] f32, written = value
  value: f32,
  n: i32,
): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), v);
  for (; i < n; i++) store<f32>(at(x, i), value);
}

export function copy(
  dst: usize, // [n] f32, written; may equal src
  src: usize, // [n] f32
  n: i32,
): void {
  // memory.copy (bulk memory) is the engine's memmove: faster than a v128 loop at every size.
  if (n > 0) memory.copy(dst, src, <usize>n << 2);
}

export function copyRows(
  dst: usize, // [rows, cols] f32 with row stride ldDst, written
  src: usize, // [rows, cols] f32 with row stride ldSrc
  rows: i32,
  cols: i32,
  ldDst: i32,
  ldSrc: i32,
): void {
  if (cols <= 0) return;
  for (let r = 0; r < rows; r++) memory.copy(at(dst, r * ldDst), at(src, r * ldSrc), <usize>cols << 2);
}

export function axpy(
  y: usize, // [n] f32, += alpha · x
  x: usize, // [n] f32
  n: i32,
  alpha: f32,
): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(a, v128.load(at(x, i)))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + alpha * load<f32>(at(x, i)));
}

export function scale(
  x: usize, // [n] f32, *= alpha in place
  n: i32,
  alpha: f32,
): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), f32x4.mul(v128.load(at(x, i)), a));
  for (; i < n; i++) store<f32>(at(x, i), load<f32>(at(x, i)) * alpha);
}

export function hadamard(
  z: usize, // [n] f32, written = x ⊙ y; may alias x or y
  x: usize, // [n] f32
  y: usize, // [n] f32
  n: i32,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(z, i), f32x4.mul(v128.load(at(x, i)), v128.load(at(y, i))));
  for (; i < n; i++) store<f32>(at(z, i), load<f32>(at(x, i)) * load<f32>(at(y, i)));
}
