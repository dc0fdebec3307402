import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError, ValueError } from '../../src/errors.js';
import { accuracy, confusionMatrix, mae, mape, perplexity, rmse } from '../../src/metrics.js';
import { tensor } from '../../src/tensor.js';

describe('regression metrics', () => {
  it('rmse and mae on arrays, typed arrays and tensors', () => {
    expect(rmse([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3), 15);
    expect(mae([1, 2, 3], [1, 2, 5])).toBeCloseTo(2 / 3, 15);
    expect(rmse(tensor([[1, 2], [3, 4]]), [[2, 2], [3, 2]])).toBe(Math.sqrt(5 / 4));
    expect(mae(new Float64Array([0, -2]), new Float32Array([1, 2]))).toBe(2.5);
    expect(rmse([0.1], [0.1])).toBe(0);
  });

  it('mape is in percent and uses |actual|', () => {
    expect(mape([100, 200], [110, 180])).toBeCloseTo(10, 12);
    expect(mape([-100], [-90])).toBeCloseTo(10, 12);
  });

  it('mape refuses zero targets by default and can skip them', () => {
    expect(() => mape([100, 0, 0], [90, 1, 2])).toThrow(
      "mape: actual[1] is 0 (2 of 3 targets are 0), where the percentage error is undefined; pass { zeros: 'skip' } to leave zero targets out, or use mae",
    );
    expect(mape([100, 0, 0], [90, 1, 2], { zeros: 'skip' })).toBeCloseTo(10, 12);
    expect(() => mape([0, 0], [1, 1], { zeros: 'skip' })).toThrow('mape: all 2 targets are 0, so no percentage error can be computed; use mae');
    expect(() => mape([1], [1], { zeros: 'ignore' as never })).toThrow(`mape: zeros must be one of 'error', 'skip', got "ignore"`);
    expect(() => mape([1], [1], { zero: 'skip' } as never)).toThrow(/unknown option 'zero' \(did you mean 'zeros'\?\)/);
  });

  it('name the problem in bad input', () => {
    expect(() => rmse([1, 2], [1, 2, 3])).toThrow('rmse: actual and predicted must have the same shape, got [2] and [3]');
    expect(() => mae([[1, 2]], [1, 2])).toThrow(ShapeError);
    expect(() => rmse([], [])).toThrow('rmse: actual and predicted must hold at least one value, got shape [0]');
    expect(() => mae([1, Number.NaN], [1, 2])).toThrow('mae: actual[1] must be finite, got NaN');
    expect(() => rmse([1], 'x' as never)).toThrow(/rmse: predicted must be a Tensor, a typed array or \(nested\) arrays of numbers, got "x"/);
  });
});

describe('accuracy', () => {
  it('compares class ids', () => {
    expect(accuracy([0, 1, 2, 1], [0, 2, 2, 1])).toBe(0.75);
    expect(accuracy(new Int32Array([1, 1]), tensor([1, 0]))).toBe(0.5);
  });

  it('takes the argmax of probabilities or logits on an extra last axis (first on ties)', () => {
    expect(accuracy([2, 0, 1], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.4, 0.4, 0.2]])).toBe(2 / 3);
    expect(accuracy([1, 0], [[-3, 2], [-0.5, -1]])).toBe(1);
    expect(accuracy([[1], [0]], [[0.2, 0.8], [0.9, 0.1]])).toBe(1);
    const targets = [[1, 2], [0, 0]];
    const scores = tensor([[[0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 1, 0]]]);
    expect(accuracy(targets, scores)).toBe(0.75);
  });

  it('thresholds binary probabilities with { threshold } (strictly greater counts as 1)', () => {
    expect(accuracy([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.5], { threshold: 0.5 })).toBe(0.5);
  });

  it('names the problem in bad input', () => {
    expect(() => accuracy([0, 1], [0.2, 0.8])).toThrow(
      'accuracy: predicted[0] must be a class id (an integer >= 0), got 0.2; for scores give predicted one more axis ([..., classes]), for binary probabilities pass { threshold: 0.5 }',
    );
    expect(() => accuracy([0, -1], [0, 1])).toThrow('accuracy: actual[1] must be a class id (an integer >= 0), got -1');
    expect(() => accuracy([0, 1], [[0.5, 0.5]])).toThrow("accuracy: predicted must have actual's shape [2] (class ids) or [2, classes] (scores), got [1, 2]");
    expect(() => accuracy([0, 1], [[0.5, 0.5], [1, 0]], { threshold: 0.5 })).toThrow(ShapeError);
    expect(() => accuracy([], [])).toThrow('accuracy: actual must hold at least one sample, got shape [0]');
    expect(() => accuracy([1], [1], { threshold: '0.5' } as never)).toThrow(OptionError);
    expect(() => accuracy([1], [1], { treshold: 0.5 } as never)).toThrow(/did you mean 'threshold'/);
  });
});

describe('confusionMatrix', () => {
  it('counts [actual][predicted]', () => {
    expect(confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1])).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 1]]);
    expect(confusionMatrix([0, 1], [0, 0], 3)).toEqual([[1, 0, 0], [1, 0, 0], [0, 0, 0]]);
  });

  it('reads score predictions by argmax and sizes the matrix by their width', () => {
    expect(confusionMatrix([0, 0], [[0.9, 0.1, 0], [0.2, 0.7, 0.1]])).toEqual([[1, 1, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it('names the problem in bad input', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow('confusionMatrix: actual class 3 (sample 1) is outside classes = 3; ids must be in [0, 3)');
    expect(() => confusionMatrix([0, 1], [0, 5], 2)).toThrow(/predicted class 5 \(sample 1\)/);
    expect(() => confusionMatrix([0], [0], 0)).toThrow('confusionMatrix: classes must be a positive integer, got 0');
    expect(() => confusionMatrix([0.5], [0])).toThrow(ValueError);
  });
});

describe('perplexity', () => {
  it('is exp of the mean cross-entropy in nats', () => {
    expect(perplexity(0)).toBe(1);
    expect(perplexity(Math.log(5))).toBeCloseTo(5, 12);
  });

  it('names the problem in bad input', () => {
    expect(() => perplexity(-0.1)).toThrow('perplexity: meanCrossEntropyNats must be a finite number >= 0 (a mean cross-entropy in nats), got -0.1');
    expect(() => perplexity(Number.NaN)).toThrow(ValueError);
    expect(() => perplexity('1' as never)).toThrow(ValueError);
  });
});
