import { describe, expect, it } from 'vitest';
import { splitData, trainTestSplit } from '../../src/data/split.js';
import { OptionError, ShapeError, ValueError } from '../../src/errors.js';
import { tensor } from '../../src/tensor.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const column = (n: number): number[][] => range(n).map((i) => [i]);

describe('splitData', () => {
  it('keeps time order by default: train first, then validation, then test', () => {
    const { train, validation, test } = splitData(column(10), range(10).map((i) => 100 + i), { train: 0.6, validation: 0.2, test: 0.2 });
    expect(train.x.toArray()).toEqual(column(6));
    expect(train.y.toArray()).toEqual([100, 101, 102, 103, 104, 105]);
    expect(validation.x.toArray()).toEqual([[6], [7]]);
    expect(validation.y.toArray()).toEqual([106, 107]);
    expect(test.x.toArray()).toEqual([[8], [9]]);
    expect(test.indices).toEqual([8, 9]);
  });

  it('sizes the parts by largest remainder (ties: train, validation, test) so they add up', () => {
    const sizes = (n: number, train: number, validation: number, test: number): number[] => {
      const parts = splitData(range(n), { train, validation, test });
      return [parts.train.x.shape[0]!, parts.validation.x.shape[0]!, parts.test.x.shape[0]!];
    };
    expect(sizes(10, 0.7, 0.15, 0.15)).toEqual([7, 2, 1]);
    expect(sizes(100, 0.71, 0.29, 0)).toEqual([71, 29, 0]);
    expect(sizes(298, 0.7, 0.15, 0.15)).toEqual([208, 45, 45]);
    expect(sizes(3, 1 / 3, 1 / 3, 1 / 3)).toEqual([1, 1, 1]);
  });

  it('gives an empty part (0 samples) for a fraction of 0', () => {
    const { validation, test } = splitData(tensor([[[1], [2]], [[3], [4]]]), [0, 1], { train: 0.5, test: 0.5 });
    expect(validation.x.shape).toEqual([0, 2, 1]);
    expect(validation.y.shape).toEqual([0]);
    expect(test.x.toArray()).toEqual([[[3], [4]]]);
  });

  it('shuffles with a seed when asked, keeping x and y rows together', () => {
    const x = column(20);
    const y = range(20).map((i) => -i);
    const a = splitData(x, y, { train: 0.5, validation: 0.25, test: 0.25, shuffle: true, seed: 7 });
    const b = splitData(x, y, { train: 0.5, validation: 0.25, test: 0.25, shuffle: true, seed: 7 });
    const c = splitData(x, y, { train: 0.5, validation: 0.25, test: 0.25, shuffle: true, seed: 8 });
    expect(b.train.indices).toEqual(a.train.indices);
    expect(c.train.indices).not.toEqual(a.train.indices);
    expect(a.train.indices).not.toEqual(range(10));
    const all = [...a.train.indices, ...a.validation.indices, ...a.test.indices].sort((p, q) => p - q);
    expect(all).toEqual(range(20));
    for (const part of [a.train, a.validation, a.test]) {
      expect(part.x.toArray()).toEqual(part.indices.map((i) => [i]));
      expect(part.y.toArray()).toEqual(part.indices.map((i) => -i));
    }
    const unseeded = splitData(x, { train: 0.5, test: 0.5, shuffle: true });
    expect(splitData(x, { train: 0.5, test: 0.5, shuffle: true }).train.indices).toEqual(unseeded.train.indices);
  });

  it('splits inputs alone (e.g. a raw series before windowing)', () => {
    const parts = splitData(new Float64Array([1, 2, 3, 4]), { train: 0.75, test: 0.25 });
    expect(parts.train.x.toArray()).toEqual([1, 2, 3]);
    expect('y' in parts.train).toBe(false);
  });

  it('names the problem in bad input', () => {
    expect(() => splitData(range(10), { train: 0.6, validation: 0.2, test: 0.1 })).toThrow('splitData: train + validation + test must be 1, got 0.6 + 0.2 + 0.1 = 0.9');
    expect(() => splitData(range(10), { train: 0.7 + 1e-12, test: 0.3 })).not.toThrow();
    expect(() => splitData(range(10), { train: 0, test: 1 } as never)).toThrow('splitData: train must be a fraction in (0, 1], got 0');
    expect(() => splitData(range(10), { train: 1.2 })).toThrow(ValueError);
    expect(() => splitData(range(10), { train: 0.5, test: -0.5 } as never)).toThrow('splitData: test must be a fraction in [0, 1), got -0.5');
    expect(() => splitData(range(10), { test: 1 } as never)).toThrow('splitData: train must be a fraction in (0, 1], got undefined');
    expect(() => splitData(range(10), { train: '0.5' } as never)).toThrow(OptionError);
    expect(() => splitData(range(10), range(10) as never)).toThrow('splitData: options with at least { train } are required, got undefined');
    expect(() => splitData(range(10), { train: 0.8, validaton: 0.2 } as never)).toThrow(/unknown option 'validaton' \(did you mean 'validation'\?\)/);
    expect(() => splitData(range(10), range(9), { train: 1 })).toThrow(
      'splitData: x and y must have the same number of samples (axis 0), got x [10] and y [9]',
    );
    expect(() => splitData(range(10), { train: 0.96, test: 0.04 })).toThrow(
      'splitData: the test part (0.04 of 10 samples = 0.4) would be empty; give it a larger fraction or provide more samples',
    );
    expect(() => splitData([], { train: 1 })).toThrow(/the train part \(1 of 0 samples = 0\) would be empty/);
    expect(() => splitData(range(4), { train: 1, seed: 3 })).toThrow('splitData: seed has no effect without shuffle: true (got seed 3)');
    expect(() => splitData(range(4), { train: 1, shuffle: true, seed: -1 })).toThrow('splitData: seed must be an integer in [0, 2^32), got -1');
    expect(() => splitData(range(4), { train: 1, shuffle: 'yes' } as never)).toThrow('splitData: shuffle must be true or false, got "yes"');
    expect(() => splitData(5 as never, { train: 1 })).toThrow('splitData: x must have a sample axis (rank >= 1), got a scalar');
    expect(() => splitData([1, Number.NaN], { train: 1 })).toThrow('splitData: x[1] must be finite, got NaN');
    expect(() => splitData(range(4), [[1], [2], [3], [4, 5]], { train: 1 })).toThrow(ShapeError);
  });
});

describe('trainTestSplit', () => {
  it('holds out the last quarter by default', () => {
    const { train, test } = trainTestSplit(column(8), range(8));
    expect(train.x.shape).toEqual([6, 1]);
    expect(test.y.toArray()).toEqual([6, 7]);
    expect(trainTestSplit(range(8)).test.x.toArray()).toEqual([6, 7]);
  });

  it('takes testSize, shuffle and seed', () => {
    const { train, test } = trainTestSplit(range(10), range(10), { testSize: 0.3, shuffle: true, seed: 3 });
    expect(test.indices.length).toBe(3);
    expect([...train.indices, ...test.indices].sort((a, b) => a - b)).toEqual(range(10));
    expect(trainTestSplit(range(10), { testSize: 0.3, shuffle: true, seed: 3 }).test.indices).toEqual(test.indices);
  });

  it('names the problem in bad input', () => {
    expect(() => trainTestSplit(range(10), { testSize: 1 })).toThrow('trainTestSplit: testSize must be a fraction in (0, 1), got 1');
    expect(() => trainTestSplit(range(10), { testSize: 0 })).toThrow(ValueError);
    expect(() => trainTestSplit(range(10), { test_size: 0.2 } as never)).toThrow(/unknown option 'test_size'/);
    expect(() => trainTestSplit(range(3), { testSize: 0.1 })).toThrow(/the test part \(0.1 of 3 samples = 0.3\) would be empty/);
  });
});
