import { describe, expect, it } from 'vitest';
import { oneHot } from '../../src/data/one-hot.js';
import { OptionError, ValueError } from '../../src/errors.js';
import { tensor } from '../../src/tensor.js';

describe('oneHot', () => {
  it('adds a last axis of size depth with a 1 at each id', () => {
    const t = oneHot([2, 0, 1], 3);
    expect(t.shape).toEqual([3, 3]);
    expect(t.toArray()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  });

  it('keeps the shape of nested ids, typed arrays, tensors and a single id', () => {
    expect(oneHot([[1, 0], [0, 1]], 2).shape).toEqual([2, 2, 2]);
    expect(oneHot([[1, 0], [0, 1]], 2).toArray()).toEqual([[[0, 1], [1, 0]], [[1, 0], [0, 1]]]);
    expect(oneHot(new Int32Array([1]), 4).toArray()).toEqual([[0, 1, 0, 0]]);
    expect(oneHot(tensor([[3]]), 4).shape).toEqual([1, 1, 4]);
    expect(oneHot(1, 2).toArray()).toEqual([0, 1]);
    expect(oneHot([], 3).shape).toEqual([0, 3]);
  });

  it('names the offending id and the allowed range', () => {
    expect(() => oneHot([0, 3], 3)).toThrow('oneHot: ids[1] must be an integer in [0, 3) (depth 3), got 3');
    expect(() => oneHot([[0, 1], [1.5, 0]], 3)).toThrow('oneHot: ids[1][0] must be an integer in [0, 3) (depth 3), got 1.5');
    expect(() => oneHot([-1], 3)).toThrow(ValueError);
    expect(() => oneHot([0], 0)).toThrow('oneHot: depth must be a positive integer, got 0');
    expect(() => oneHot([0], '3' as never)).toThrow(OptionError);
    expect(() => oneHot(['a'] as never, 3)).toThrow('oneHot: ids[0] must be a number, got "a"');
  });
});
