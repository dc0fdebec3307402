import { describe, expect, it } from 'vitest';
import { windowSeries } from '../../src/data/windows.js';
import { OptionError, ShapeError, ValueError } from '../../src/errors.js';
import { tensor } from '../../src/tensor.js';

describe('windowSeries', () => {
  it('cuts a 1-D series into [N, window, 1] inputs and [N, horizon] targets', () => {
    const { x, y } = windowSeries([1, 2, 3, 4, 5, 6], { window: 3 });
    expect(x.shape).toEqual([3, 3, 1]);
    expect(y.shape).toEqual([3, 1]);
    expect(x.toArray()).toEqual([[[1], [2], [3]], [[2], [3], [4]], [[3], [4], [5]]]);
    expect(y.toArray()).toEqual([[4], [5], [6]]);
  });

  it('takes horizon and stride: N = floor((T - window - horizon) / stride) + 1', () => {
    const { x, y } = windowSeries([1, 2, 3, 4, 5, 6, 7, 8], { window: 3, horizon: 2, stride: 2 });
    expect(x.shape).toEqual([2, 3, 1]);
    expect(x.toArray()).toEqual([[[1], [2], [3]], [[3], [4], [5]]]);
    expect(y.toArray()).toEqual([[4, 5], [6, 7]]);
    expect(windowSeries([1, 2, 3, 4, 5, 6, 7, 8, 9], { window: 3, horizon: 2, stride: 2 }).x.shape[0]).toBe(3);
  });

  it('makes one sample when window + horizon equals the length', () => {
    const { x, y } = windowSeries([1, 2, 3], { window: 2, horizon: 1 });
    expect(x.toArray()).toEqual([[[1], [2]]]);
    expect(y.toArray()).toEqual([[3]]);
  });

  it('accepts Float32Array, Float64Array and Tensors alike', () => {
    const expected = windowSeries([0.5, 1.5, 2.5, 3.5], { window: 2 });
    for (const series of [new Float32Array([0.5, 1.5, 2.5, 3.5]), new Float64Array([0.5, 1.5, 2.5, 3.5]), tensor([0.5, 1.5, 2.5, 3.5])]) {
      const got = windowSeries(series, { window: 2 });
      expect(got.x.toArray()).toEqual(expected.x.toArray());
      expect(got.y.toArray()).toEqual(expected.y.toArray());
    }
  });

  it('windows a multivariate [T, F] series and predicts the target column', () => {
    const series = [[1, 10], [2, 20], [3, 30], [4, 40], [5, 50]];
    const { x, y } = windowSeries(series, { window: 2, horizon: 2, target: 1 });
    expect(x.shape).toEqual([2, 2, 2]);
    expect(x.toArray()).toEqual([[[1, 10], [2, 20]], [[2, 20], [3, 30]]]);
    expect(y.toArray()).toEqual([[30, 40], [40, 50]]);
    expect(windowSeries(tensor(series), { window: 2, target: 0 }).y.toArray()).toEqual([[3], [4], [5]]);
    expect(windowSeries([[1], [2], [3]], { window: 2 }).x.shape).toEqual([1, 2, 1]);
  });

  it('names the problem in bad input', () => {
    expect(() => windowSeries([1, 2, 3], { window: 3 })).toThrow(
      'windowSeries: window (3) + horizon (1) = 4 steps are needed for one sample, but the series has 3',
    );
    expect(() => windowSeries([1, 2, 3, 4], { window: 2, horizon: 3 })).toThrow(ValueError);
    expect(() => windowSeries([1, 2, 3], { window: 0 })).toThrow('windowSeries: window must be a positive integer, got 0');
    expect(() => windowSeries([1, 2, 3], { window: 1.5 })).toThrow(ValueError);
    expect(() => windowSeries([1, 2, 3], { window: 1, stride: 0 })).toThrow('windowSeries: stride must be a positive integer, got 0');
    expect(() => windowSeries([1, 2, 3], { window: 1, horizon: -1 })).toThrow('windowSeries: horizon must be a positive integer, got -1');
    expect(() => windowSeries([1, 2, 3], {} as never)).toThrow('windowSeries: window must be a positive integer, got undefined');
    expect(() => windowSeries([1, 2, 3], undefined as never)).toThrow(OptionError);
    expect(() => windowSeries([1, 2, 3], { window: 1, horizn: 2 } as never)).toThrow(/unknown option 'horizn' \(did you mean 'horizon'\?\)/);
    expect(() => windowSeries([1, Number.NaN, 3], { window: 1 })).toThrow('windowSeries: series[1] must be finite, got NaN');
    expect(() => windowSeries([[1, 2], [3, 4], [5, 6]], { window: 1 })).toThrow(
      'windowSeries: target is required for a series with 2 features (shape [3, 2]): pass the column to predict, an integer in [0, 2)',
    );
    expect(() => windowSeries([[1, 2], [3, 4]], { window: 1, target: 2 })).toThrow('windowSeries: target must be an integer in [0, 2), got 2');
    expect(() => windowSeries([1, 2, 3], { window: 1, target: 1 })).toThrow(ValueError);
    expect(() => windowSeries([[[1]], [[2]]], { window: 1 })).toThrow(ShapeError);
    expect(() => windowSeries([[], []], { window: 1 })).toThrow(/at least one feature/);
    expect(() => windowSeries([[1, 2], [3]], { window: 1, target: 0 })).toThrow(/series\[1\] must be an array of length 2/);
    expect(() => windowSeries('1,2,3' as never, { window: 1 })).toThrow(/series must be a Tensor, a typed array or \(nested\) arrays of numbers, got "1,2,3"/);
  });
});
