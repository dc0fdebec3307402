import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor, ValueError, tensor } from '../../src/index.js';

describe('tensor()', () => {
  it('infers the shape of nested arrays and round-trips through toArray', () => {
    const t = tensor([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(t.shape).toEqual([2, 1, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(t.data).toBeInstanceOf(Float32Array);
  });

  it('takes a typed array with a shape, copying Float64Array into float32', () => {
    const t = tensor(new Float64Array([0.1, 2, 3, 4, 5, 6]), [3, 2]);
    expect(t.shape).toEqual([3, 2]);
    expect(t.data[0]).toBe(Math.fround(0.1));
    expect(t.toArray()).toEqual([[Math.fround(0.1), 2], [3, 4], [5, 6]]);
    expect(tensor(new Float32Array(3)).shape).toEqual([3]);
  });

  it('handles scalars and empty dimensions', () => {
    expect(tensor(5).shape).toEqual([]);
    expect(tensor(5).toArray()).toBe(5);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor(new Float32Array(0), [0, 3]).toArray()).toEqual([]);
  });

  it('reshapes without copying', () => {
    const t = tensor([1, 2, 3, 4]);
    const r = t.reshape([2, 2]);
    expect(r.data).toBe(t.data);
    expect(() => t.reshape([3])).toThrow(ShapeError);
  });

  it('names the problem in bad input', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged nested arrays: values\[1\] should be an array of length 2/);
    expect(() => tensor([[1, 2], [3, Number.NaN]])).toThrow(/value at values\[1\]\[1\] must be a finite number, got NaN/);
    expect(() => tensor(new Float32Array([1, Infinity]))).toThrow(ValueError);
    expect(() => tensor(new Float32Array(6), [4, 2])).toThrow(/shape \[4, 2\] holds 8 values, but 6 were given/);
    expect(() => tensor([[1, 2]], [2, 1])).toThrow(/does not match the nested arrays, whose shape is \[1, 2\]/);
    expect(() => tensor('abc' as never)).toThrow(/values must be a Float32Array, Float64Array, number or nested number arrays, got "abc"/);
    expect(() => new Tensor(new Float32Array(2), [-1, -2])).toThrow(/non-negative integers/);
    expect(() => tensor([[1, [2]]] as never)).toThrow(ShapeError);
  });
});
