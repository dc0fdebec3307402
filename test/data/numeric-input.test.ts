import { describe, expect, it } from 'vitest';
import { indexPath, readNumeric, rebuildLike } from '../../src/data/numeric-input.js';
import { ShapeError, ValueError } from '../../src/errors.js';
import { Tensor, tensor } from '../../src/tensor.js';

describe('readNumeric', () => {
  it('reads nested arrays, typed arrays, tensors and scalars in float64 with their shape', () => {
    const nested = readNumeric('f', 'x', [[0.1, 2], [3, 4]]);
    expect(nested.shape).toEqual([2, 2]);
    expect(Array.from(nested.values)).toEqual([0.1, 2, 3, 4]);
    expect(readNumeric('f', 'x', new Uint8Array([1, 2])).shape).toEqual([2]);
    expect(readNumeric('f', 'x', tensor([[1], [2]])).shape).toEqual([2, 1]);
    expect(readNumeric('f', 'x', 7).shape).toEqual([]);
    expect(readNumeric('f', 'x', [[], []]).shape).toEqual([2, 0]);
  });

  it('names the argument and the index in errors', () => {
    expect(() => readNumeric('f', 'x', [[1, 2], [3]])).toThrow('f: x[1] must be an array of length 2 like x[0] (nested arrays must be rectangular), got [3]');
    expect(() => readNumeric('f', 'x', [[1, 2], [3, [4]]] as never)).toThrow(ValueError);
    expect(() => readNumeric('f', 'x', [[1, 2], [3, 'a']] as never)).toThrow('f: x[1][1] must be a number, got "a"');
    expect(() => readNumeric('f', 'x', [[1, 2], 3] as never)).toThrow(ShapeError);
    expect(() => readNumeric('f', 'x', new Float32Array([0, Number.NaN]))).toThrow('f: x[1] must be finite, got NaN');
    expect(() => readNumeric('f', 'x', new Tensor(new Float32Array([1, 2, 3, Infinity]), [2, 2]))).toThrow('f: x[1][1] must be finite, got Infinity');
    expect(() => readNumeric('f', 'x', { a: 1 })).toThrow('f: x must be a Tensor, a typed array or (nested) arrays of numbers, got an object (a)');
    expect(() => readNumeric('f', 'x', new DataView(new ArrayBuffer(4)))).toThrow(ValueError);
  });
});

describe('indexPath and rebuildLike', () => {
  it('turn a flat index into [i][j] and values back into the input kind', () => {
    expect(indexPath([2, 3], 4)).toBe('[1][1]');
    expect(indexPath([], 0)).toBe('');
    const values = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rebuildLike([[[0]]], values, [2, 2, 2])).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(rebuildLike(new Int32Array(1), values, [8])).toBe(values);
    expect(rebuildLike(new Float32Array(1), values, [8])).toBeInstanceOf(Float32Array);
    expect((rebuildLike(tensor([0]), values, [4, 2]) as Tensor).shape).toEqual([4, 2]);
    expect(rebuildLike([], new Float64Array(0), [0])).toEqual([]);
  });
});
