import { ShapeError, ValueError, describe } from './errors.js';

/** Nested arrays of numbers, e.g. [[1, 2], [3, 4]]. */
export type NestedArray = number | NestedArray[];

/** What `tensor()` accepts. */
export type TensorLike = Tensor | Float32Array | Float64Array | NestedArray;

/** A row-major float32 array with a shape: what users pass in and get out. */
export class Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;

  constructor(data: Float32Array, shape: readonly number[]) {
    checkShape('tensor', shape);
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new ShapeError(`tensor: shape [${shape.join(', ')}] holds ${size} values, but ${data.length} were given`);
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** The values as nested arrays following the shape (a number for rank 0). */
  toArray(): NestedArray {
    const build = (dim: number, start: number): NestedArray => {
      if (dim === this.shape.length) return this.data[start]!;
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, start + i * stride));
    };
    return build(0, 0);
  }

  /** Same values, another shape of the same size. */
  reshape(shape: readonly number[]): Tensor {
    return new Tensor(this.data, shape);
  }

  toString(): string {
    return `Tensor[${this.shape.join(', ')}]`;
  }
}

/**
 * Builds a tensor from a Float32Array/Float64Array and a shape, or from nested number arrays
 * (shape inferred; a given shape must agree). Values are copied into a new Float32Array and
 * must be finite.
 */
export function tensor(values: TensorLike, shape?: readonly number[]): Tensor {
  if (values instanceof Tensor) return shape === undefined ? values : values.reshape(shape);
  if (values instanceof Float32Array || values instanceof Float64Array) {
    const data = Float32Array.from(values);
    checkFinite('tensor', data);
    return new Tensor(data, shape ?? [data.length]);
  }
  if (typeof values !== 'number' && !Array.isArray(values)) {
    throw new ValueError(`tensor: values must be a Float32Array, Float64Array, number or nested number arrays, got ${describe(values)}`);
  }
  const inferred = inferShape(values);
  if (shape !== undefined && (shape.length !== inferred.length || shape.some((d, i) => d !== inferred[i]))) {
    throw new ShapeError(`tensor: shape [${shape.join(', ')}] does not match the nested arrays, whose shape is [${inferred.join(', ')}]`);
  }
  const data = new Float32Array(inferred.reduce((a, b) => a * b, 1));
  let cursor = 0;
  const fill = (value: NestedArray, path: string): void => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new ValueError(`tensor: value at ${path} must be a finite number, got ${value}`);
      data[cursor++] = value;
    } else value.forEach((item, i) => fill(item, `${path}[${i}]`));
  };
  fill(values, 'values');
  return new Tensor(data, inferred);
}

/** Throws naming the first non-finite element. */
export function checkFinite(where: string, data: ArrayLike<number>, name = 'values'): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new ValueError(`${where}: ${name} must be finite, but element ${i} is ${data[i]}`);
  }
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  const check = (value: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof value !== 'number') throw new ShapeError(`tensor: ${path} should be a number (depth ${dim}), got ${describe(value)}`);
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[dim]) {
      throw new ShapeError(`tensor: ragged nested arrays: ${path} should be an array of length ${shape[dim]}, got ${describe(value)}`);
    }
    value.forEach((item, i) => check(item, dim + 1, `${path}[${i}]`));
  };
  check(values, 0, 'values');
  return shape;
}

function checkShape(where: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${where}: shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
}
