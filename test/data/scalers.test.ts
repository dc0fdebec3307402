import { describe, expect, it } from 'vitest';
import { MinMaxScaler, minMaxScaler } from '../../src/data/min-max-scaler.js';
import { scalerFromJSON } from '../../src/data/scalers.js';
import { StandardScaler, standardScaler } from '../../src/data/standard-scaler.js';
import { OptionError, ShapeError, StateError, ValueError } from '../../src/errors.js';
import { Tensor, tensor } from '../../src/tensor.js';

describe('minMaxScaler', () => {
  it('maps [min, max] of the training data onto [0, 1] and back', () => {
    const scaler = minMaxScaler().fit([2, 4, 6]);
    expect(scaler.transform([2, 4, 6, 8])).toEqual([0, 0.5, 1, 1.5]);
    expect(scaler.inverse([0, 0.5, 1.5])).toEqual([2, 4, 8]);
    expect(Array.from(scaler.min)).toEqual([2]);
    expect(Array.from(scaler.max)).toEqual([6]);
    expect(scaler.features).toBe(1);
  });

  it('takes another range', () => {
    const scaler = minMaxScaler({ range: [-1, 1] });
    expect(scaler.fitTransform([0, 5, 10])).toEqual([-1, 0, 1]);
    expect(scaler.inverse([-1, 0, 1])).toEqual([0, 5, 10]);
  });

  it('keeps statistics per feature (the last axis)', () => {
    const scaler = new MinMaxScaler().fit([[0, 10], [5, 20], [10, 30]]);
    expect(scaler.transform([[0, 10], [5, 20], [10, 30]])).toEqual([[0, 0], [0.5, 0.5], [1, 1]]);
    expect(scaler.transform([2.5, 25])).toEqual([0.25, 0.75]);
    const windows = tensor([[[0, 10], [10, 30]]]);
    expect(scaler.transform(windows).toArray()).toEqual([[[0, 0], [1, 1]]]);
  });

  it('maps a constant feature to range[0] and inverts it to the constant', () => {
    const scaler = minMaxScaler({ range: [-1, 1] }).fit([[3, 0], [3, 1]]);
    expect(scaler.transform([[3, 0], [7, 1]])).toEqual([[-1, -1], [-1, 1]]);
    expect(scaler.inverse([[-1, -1], [0.5, 1]])).toEqual([[3, 0], [3, 1]]);
  });
});

describe('standardScaler', () => {
  it('centres and divides by the population standard deviation', () => {
    const scaler = standardScaler().fit([1, 2, 3, 4]);
    const std = Math.sqrt(1.25);
    expect(Array.from(scaler.mean)).toEqual([2.5]);
    expect(scaler.std[0]).toBeCloseTo(std, 15);
    const scaled = scaler.transform([1, 2.5, 4]);
    expect(scaled[0]).toBeCloseTo(-1.5 / std, 14);
    expect(scaled[1]).toBe(0);
    expect(scaled[2]).toBeCloseTo(1.5 / std, 14);
    expect(scaler.inverse(scaled).map((v) => +v.toFixed(12))).toEqual([1, 2.5, 4]);
  });

  it('per feature, and a constant feature only centred (maps to 0)', () => {
    const scaler = new StandardScaler().fit([[1, 5], [3, 5]]);
    expect(Array.from(scaler.mean)).toEqual([2, 5]);
    expect(Array.from(scaler.std)).toEqual([1, 0]);
    expect(scaler.transform([[1, 5], [3, 6]])).toEqual([[-1, 0], [1, 1]]);
    expect(scaler.inverse([[-1, 0], [1, 1]])).toEqual([[1, 5], [3, 6]]);
  });

  it('stays accurate for large offsets (two-pass variance)', () => {
    const scaler = standardScaler().fit([1e9 + 1, 1e9 + 2, 1e9 + 3]);
    expect(scaler.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });
});

describe('scalers: data kinds and shapes', () => {
  it('return the container they were given', () => {
    const scaler = minMaxScaler().fit([0, 4]);
    const f32 = scaler.transform(new Float32Array([1, 2]));
    expect(f32).toBeInstanceOf(Float32Array);
    expect(Array.from(f32)).toEqual([0.25, 0.5]);
    const f64 = scaler.transform(new Float64Array([1, 3]));
    expect(f64).toBeInstanceOf(Float64Array);
    expect(Array.from(f64)).toEqual([0.25, 0.75]);
    const t = scaler.transform(tensor([[1], [2]]));
    expect(t).toBeInstanceOf(Tensor);
    expect(t.shape).toEqual([2, 1]);
    expect(Array.from(t.data)).toEqual([0.25, 0.5]);
  });

  it('a one-feature scaler scales any shape, e.g. [N, horizon] predictions', () => {
    const scaler = minMaxScaler().fit(new Float64Array([10, 20]));
    expect(scaler.inverse([[0, 0.5, 1], [1, 1, 0]])).toEqual([[10, 15, 20], [20, 20, 10]]);
  });

  it('{ feature } applies one feature’s statistics to every value', () => {
    const scaler = minMaxScaler().fit([[0, 100], [10, 200]]);
    expect(scaler.inverse([[0, 0.5], [1, 0.25]], { feature: 1 })).toEqual([[100, 150], [200, 125]]);
    expect(scaler.transform([5], { feature: 0 })).toEqual([0.5]);
  });

  it('fit learns only from the data it is given (the training part)', () => {
    const scaler = minMaxScaler().fit([0, 10]);
    expect(scaler.transform([20, -10])).toEqual([2, -1]);
    scaler.fit([0, 20]);
    expect(scaler.transform([20])).toEqual([1]);
  });
});

describe('scalers: toJSON / fromJSON', () => {
  it('round-trip through JSON text with the same results', () => {
    const minMax = minMaxScaler({ range: [-1, 1] }).fit([[0, 1], [10, 3]]);
    const standard = standardScaler().fit([[0.1, 7], [0.4, 9], [0.5, 11]]);
    const data = [[5, 2], [0.3, 8]];
    const json1 = JSON.parse(JSON.stringify(minMax));
    expect(json1).toEqual({ kind: 'minMaxScaler', range: [-1, 1], min: [0, 1], max: [10, 3] });
    expect(MinMaxScaler.fromJSON(json1).transform(data)).toEqual(minMax.transform(data));
    const json2 = JSON.parse(JSON.stringify(standard));
    expect(json2.kind).toBe('standardScaler');
    expect(StandardScaler.fromJSON(json2).transform(data)).toEqual(standard.transform(data));
    expect(scalerFromJSON(json1)).toBeInstanceOf(MinMaxScaler);
    expect(scalerFromJSON(json2)).toBeInstanceOf(StandardScaler);
    expect(scalerFromJSON(json2).inverse(data)).toEqual(standard.inverse(data));
  });

  it('reject malformed JSON naming the field', () => {
    expect(() => MinMaxScaler.fromJSON({ kind: 'standardScaler' })).toThrow(`MinMaxScaler.fromJSON: expected an object with kind 'minMaxScaler', got "standardScaler"`);
    expect(() => MinMaxScaler.fromJSON(null)).toThrow(/got null/);
    expect(() => MinMaxScaler.fromJSON({ kind: 'minMaxScaler', range: [0, 1], min: [0, 1], max: [1] })).toThrow(
      'MinMaxScaler.fromJSON: max must have 2 entries (one per feature), got 1',
    );
    expect(() => MinMaxScaler.fromJSON({ kind: 'minMaxScaler', range: [0, 1], min: [2], max: [1] })).toThrow('MinMaxScaler.fromJSON: min[0] (2) must not exceed max[0] (1)');
    expect(() => MinMaxScaler.fromJSON({ kind: 'minMaxScaler', range: [1, 0], min: [0], max: [1] })).toThrow(/range must be \[low, high\]/);
    expect(() => MinMaxScaler.fromJSON({ kind: 'minMaxScaler', range: [0, 1], min: ['0'], max: [1] })).toThrow(
      'MinMaxScaler.fromJSON: min must be a non-empty array of finite numbers, got ["0"]',
    );
    expect(() => StandardScaler.fromJSON({ kind: 'standardScaler', mean: [0], std: [-1] })).toThrow('StandardScaler.fromJSON: std[0] must be >= 0, got -1');
    expect(() => StandardScaler.fromJSON({ kind: 'standardScaler', mean: [], std: [] })).toThrow(ValueError);
    expect(() => scalerFromJSON({ kind: 'robust' })).toThrow(`scalerFromJSON: json.kind must be 'minMaxScaler' or 'standardScaler', got "robust"`);
    expect(() => scalerFromJSON(undefined)).toThrow(/got undefined/);
  });
});

describe('scalers: errors', () => {
  it('before fit', () => {
    const scaler = minMaxScaler();
    expect(scaler.fitted).toBe(false);
    expect(() => scaler.transform([1])).toThrow('MinMaxScaler.transform: the scaler is not fitted; call fit(trainingData) first');
    expect(() => scaler.inverse([1])).toThrow(StateError);
    expect(() => scaler.toJSON()).toThrow(StateError);
    expect(() => scaler.min).toThrow(StateError);
    expect(() => standardScaler().features).toThrow('StandardScaler.features: the scaler is not fitted; call fit(trainingData) first');
    expect(() => standardScaler().mean).toThrow(StateError);
  });

  it('bad data and options', () => {
    expect(() => minMaxScaler().fit([])).toThrow('MinMaxScaler.fit: data must hold at least one value per feature, got shape [0]');
    expect(() => standardScaler().fit([[], []])).toThrow(ValueError);
    expect(() => standardScaler().fit(tensor(3) as never)).toThrow(/got shape \[\]/);
    expect(() => minMaxScaler().fit([1, Number.POSITIVE_INFINITY])).toThrow('MinMaxScaler.fit: data[1] must be finite, got Infinity');
    const scaler = standardScaler().fit([[1, 2, 3], [4, 5, 6]]);
    expect(() => scaler.transform([[1, 2]])).toThrow(
      "StandardScaler.transform: data's last axis must have the 3 features seen in fit, got shape [1, 2] (pass { feature: i } to scale every value with feature i's statistics)",
    );
    expect(() => scaler.inverse([1, 2])).toThrow(ShapeError);
    expect(() => scaler.inverse([1], { feature: 3 })).toThrow('StandardScaler.inverse: feature must be an integer in [0, 3), got 3');
    expect(() => scaler.transform([1], { featur: 0 } as never)).toThrow(/unknown option 'featur' \(did you mean 'feature'\?\)/);
    expect(() => minMaxScaler({ range: [1, 1] })).toThrow('minMaxScaler: range must be [low, high] with finite low < high, got [1, 1]');
    expect(() => minMaxScaler({ range: [0, Number.NaN] })).toThrow(OptionError);
    expect(() => minMaxScaler({ rnage: [0, 1] } as never)).toThrow(/did you mean 'range'/);
    expect(() => standardScaler({ withMean: false } as never)).toThrow(/unknown option 'withMean'/);
  });
});
