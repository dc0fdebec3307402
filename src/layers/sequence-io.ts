import { OptionError, ShapeError, ValueError, describe } from '../errors.js';
import type { HeapArray } from '../memory/storage.js';
import { Tensor, checkFinite, tensor, type TensorLike } from '../tensor.js';

/*
 * Copies between what users pass ([T, B, F], or [B, T, F] when batchFirst) and the time-major
 * [T][B][F] buffers in the arena, plus the conversion of `lengths` / `mask` into the [T, B] f32
 * step mask the kernels read.
 */

/** Element index of (t, b, f) in the user's layout. */
function userIndex(t: number, b: number, T: number, B: number, F: number, batchFirst: boolean): number {
  return (batchFirst ? b * T + t : t * B + b) * F;
}

/** Writes `data` (user layout) into the time-major buffer at `offset`; rows where mask = 0 get zeros. */
export function writeSequence(
  heap: HeapArray, offset: number, data: ArrayLike<number>,
  T: number, B: number, F: number, batchFirst: boolean, mask: Float32Array | null = null,
): void {
  if (!batchFirst && mask === null) {
    heap.set(data, offset >>> 2);
    return;
  }
  let target = offset >>> 2;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++, target += F) {
      const source = userIndex(t, b, T, B, F, batchFirst);
      const keep = mask === null || mask[t * B + b] !== 0;
      for (let f = 0; f < F; f++) heap[target + f] = keep ? data[source + f]! : 0;
    }
  }
}

/** Reads the time-major buffer at `offset` into a new array in the user's layout; rows where mask = 0 read as zeros. */
export function readSequence(
  heap: HeapArray, offset: number, T: number, B: number, F: number, batchFirst: boolean, mask: Float32Array | null = null,
): Float32Array {
  if (!batchFirst && mask === null) return readFlat(heap, offset, T * B * F);
  const out = new Float32Array(T * B * F);
  let source = offset >>> 2;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++, source += F) {
      if (mask !== null && mask[t * B + b] === 0) continue;
      const target = userIndex(t, b, T, B, F, batchFirst);
      for (let f = 0; f < F; f++) out[target + f] = heap[source + f]!;
    }
  }
  return out;
}

/** A new Float32Array with `n` values of the heap from `offset`. */
export function readFlat(heap: HeapArray, offset: number, n: number): Float32Array {
  const start = offset >>> 2;
  return new Float32Array(heap.subarray(start, start + n));
}

/** A Tensor of exactly `shape` with finite values, or a ShapeError/ValueError naming `name`. */
export function checkedTensor(where: string, name: string, value: unknown, shape: readonly number[], shapeText: string): Tensor {
  const t = asTensor(where, name, value);
  if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${where}: ${name} must have shape ${shapeText} = [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
  }
  checkFinite(where, t.data, name);
  return t;
}

/** Tensor, nested number arrays (or a flat typed array, read as rank 1) as a Tensor. */
export function asTensor(where: string, name: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  if (Array.isArray(value) || value instanceof Float32Array || value instanceof Float64Array) return tensor(value as TensorLike);
  throw new ShapeError(`${where}: ${name} must be a Tensor or nested number arrays, got ${describe(value)}`);
}

/**
 * The [T, B] step mask (time-major, f32 1/0) from per-sequence `lengths` (steps t < length are
 * real) or a 0/1 `mask` ([T, B], or [B, T] when batchFirst); null when every step is real.
 */
export function stepMask(
  where: string, lengths: unknown, mask: unknown, T: number, B: number, batchFirst: boolean,
): Float32Array | null {
  if (lengths !== undefined && mask !== undefined) throw new OptionError(`${where}: give either lengths or mask, not both`);
  const steps = new Float32Array(T * B);
  if (lengths !== undefined) {
    if (!isArrayLike(lengths)) throw new ValueError(`${where}: lengths must be an array of ${B} integers, got ${describe(lengths)}`);
    if (lengths.length !== B) throw new ShapeError(`${where}: lengths must hold one length per sequence (B = ${B}), got ${lengths.length}`);
    for (let b = 0; b < B; b++) {
      const length = lengths[b];
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > T) {
        throw new ValueError(`${where}: lengths[${b}] must be an integer in [0, ${T}] (T = ${T}), got ${describe(length)}`);
      }
      for (let t = 0; t < length; t++) steps[t * B + b] = 1;
    }
  } else if (mask !== undefined) {
    const shape = batchFirst ? [B, T] : [T, B];
    const m = checkedTensor(where, 'mask', mask, shape, batchFirst ? '[B, T]' : '[T, B]');
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const value = m.data[batchFirst ? b * T + t : t * B + b]!;
        if (value !== 0 && value !== 1) throw new ValueError(`${where}: mask values must be 0 or 1, got ${value} at step ${t} of sequence ${b}`);
        steps[t * B + b] = value;
      }
    }
  } else return null;
  return steps.every((v) => v === 1) ? null : steps;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}
