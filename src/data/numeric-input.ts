import { ShapeError, ValueError, describe } from '../errors.js';
import { Tensor, type NestedArray } from '../tensor.js';

/** Typed arrays accepted wherever numbers are read (read as a 1-D array). */
export type TypedNumbers =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/** Numbers as users hand them in: a Tensor, a typed array (1-D) or nested number arrays. */
export type NumericInput = Tensor | TypedNumbers | NestedArray;

/** Numbers read in float64 (no float32 rounding) with their row-major shape. */
export interface NumericArray {
  readonly values: Float64Array;
  readonly shape: readonly number[];
}

/**
 * Reads `input` into float64 values and a shape. Nested arrays must be rectangular; every value must
 * be a finite number. Errors name `where`, the argument `name` and the offending index, e.g.
 * `windowSeries: series[3] must be finite, got NaN`.
 */
export function readNumeric(where: string, name: string, input: unknown): NumericArray {
  let read: NumericArray;
  if (input instanceof Tensor) read = { values: Float64Array.from(input.data), shape: input.shape };
  else if (isTypedNumbers(input)) read = { values: Float64Array.from(input), shape: [input.length] };
  else if (typeof input === 'number' || Array.isArray(input)) read = readNested(where, name, input);
  else throw new ValueError(`${where}: ${name} must be a Tensor, a typed array or (nested) arrays of numbers, got ${describe(input)}`);
  const { values, shape } = read;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new ValueError(`${where}: ${name}${indexPath(shape, i)} must be finite, got ${values[i]}`);
  }
  return read;
}

/** `[i][j]…` of the element at row-major position `flat` in an array of `shape`. */
export function indexPath(shape: readonly number[], flat: number): string {
  const parts: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    parts.push(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return parts.reverse().map((i) => `[${i}]`).join('');
}

/** `values` (with `shape`) in the same kind of container as `like`: Tensor, typed array or nested arrays. */
export function rebuildLike<T>(like: T, values: Float64Array, shape: readonly number[]): T {
  if (like instanceof Tensor) return new Tensor(Float32Array.from(values), shape) as T;
  if (like instanceof Float32Array) return Float32Array.from(values) as T;
  if (isTypedNumbers(like)) return values as T;
  return toNested(values, shape) as T;
}

export function isTypedNumbers(value: unknown): value is TypedNumbers {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

function toNested(values: Float64Array, shape: readonly number[]): NestedArray {
  const build = (dim: number, start: number, stride: number): NestedArray => {
    if (dim === shape.length) return values[start]!;
    const inner = stride / shape[dim]!;
    return Array.from({ length: shape[dim]! }, (_, i) => build(dim + 1, start + i * inner, inner));
  };
  return build(0, 0, values.length);
}

function readNested(where: string, name: string, input: NestedArray): NumericArray {
  const shape: number[] = [];
  for (let level: NestedArray = input; Array.isArray(level); level = level[0]!) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const values = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let cursor = 0;
  const walk = (value: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof value !== 'number') throw new ValueError(`${where}: ${name}${path} must be a number, got ${describe(value)}`);
      values[cursor++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[dim]) {
      throw new ShapeError(`${where}: ${name}${path} must be an array of length ${shape[dim]} like ${name}${'[0]'.repeat(dim)} (nested arrays must be rectangular), got ${describe(value)}`);
    }
    value.forEach((item, i) => walk(item, dim + 1, `${path}[${i}]`));
  };
  walk(input, 0, '');
  return { values, shape };
}
