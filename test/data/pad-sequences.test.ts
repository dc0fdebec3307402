import { describe, expect, it } from 'vitest';
import { padSequences } from '../../src/data/pad-sequences.js';
import { OptionError, ShapeError, ValueError } from '../../src/errors.js';
import { tensor } from '../../src/tensor.js';

describe('padSequences', () => {
  it("pads after the values by default to the longest length, and reports each length", () => {
    const { padded, lengths } = padSequences([[1, 2, 3], [4], []]);
    expect(padded.shape).toEqual([3, 3]);
    expect(padded.toArray()).toEqual([[1, 2, 3], [4, 0, 0], [0, 0, 0]]);
    expect(lengths).toEqual([3, 1, 0]);
  });

  it("pads before the values with padding: 'pre' and with another value", () => {
    expect(padSequences([[1, 2, 3], [4]], { padding: 'pre', value: -1 }).padded.toArray()).toEqual([[1, 2, 3], [-1, -1, 4]]);
  });

  it("truncates to maxLength, dropping the first steps by default ('pre') or the last ('post')", () => {
    const pre = padSequences([[1, 2, 3], [4]], { maxLength: 2 });
    expect(pre.padded.toArray()).toEqual([[2, 3], [4, 0]]);
    expect(pre.lengths).toEqual([2, 1]);
    expect(padSequences([[1, 2, 3], [4]], { maxLength: 2, truncating: 'post' }).padded.toArray()).toEqual([[1, 2], [4, 0]]);
    expect(padSequences([[1]], { maxLength: 3, padding: 'pre' }).padded.toArray()).toEqual([[0, 0, 1]]);
  });

  it('pads sequences of feature vectors into [B, maxLength, F]', () => {
    const { padded, lengths } = padSequences([[[1, 2], [3, 4]], [[5, 6]], []]);
    expect(padded.shape).toEqual([3, 2, 2]);
    expect(padded.toArray()).toEqual([[[1, 2], [3, 4]], [[5, 6], [0, 0]], [[0, 0], [0, 0]]]);
    expect(lengths).toEqual([2, 1, 0]);
  });

  it('accepts typed arrays and tensors as sequences', () => {
    expect(padSequences([new Int32Array([7, 8]), tensor([9])]).padded.toArray()).toEqual([[7, 8], [9, 0]]);
    expect(padSequences([[]]).padded.shape).toEqual([1, 0]);
  });

  it('names the problem in bad input', () => {
    expect(() => padSequences([])).toThrow('padSequences: sequences must be a non-empty array of sequences, got []');
    expect(() => padSequences([[[1, 2]], [[3]]])).toThrow(
      'padSequences: every sequence must have steps of the same shape; sequences[1] has shape [1, 1] but sequences[0] has [1, 2]',
    );
    expect(() => padSequences([[1], [[2]]])).toThrow(ShapeError);
    expect(() => padSequences([[[[1]]]])).toThrow('padSequences: sequences[0] must be 1-D [steps] or 2-D [steps, features], got shape [1, 1, 1]');
    expect(() => padSequences([5 as never])).toThrow(ShapeError);
    expect(() => padSequences([[1, Number.NaN]])).toThrow('padSequences: sequences[0][1] must be finite, got NaN');
    expect(() => padSequences([[1]], { maxLength: 0 })).toThrow('padSequences: maxLength must be a positive integer, got 0');
    expect(() => padSequences([[1]], { padding: 'psot' as never })).toThrow(`padSequences: padding must be one of 'post', 'pre', got "psot" (did you mean 'post'?)`);
    expect(() => padSequences([[1]], { truncating: 'end' as never })).toThrow(OptionError);
    expect(() => padSequences([[1]], { value: Number.NaN })).toThrow('padSequences: value must be a finite number, got NaN');
    expect(() => padSequences([[1]], { value: '0' as never })).toThrow(ValueError);
    expect(() => padSequences([[1]], { maxLenght: 2 } as never)).toThrow(/unknown option 'maxLenght' \(did you mean 'maxLength'\?\)/);
  });
});
