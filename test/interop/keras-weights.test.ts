import { describe, expect, it } from 'vitest';
import { kerasRecurrentShapes, recurrentFromKeras, recurrentToKeras, type RecurrentLayout } from '../../src/interop/keras-weights.js';
import { Random } from '../../src/random.js';

/* Keras layout → PyTorch layout → Keras layout is the identity, bit for bit, for every cell and bias form. */

const LAYOUTS: RecurrentLayout[] = [
  { className: 'SimpleRNN', inputSize: 3, units: 5, useBias: true, resetAfter: false },
  { className: 'LSTM', inputSize: 4, units: 3, useBias: true, resetAfter: false },
  { className: 'LSTM', inputSize: 2, units: 6, useBias: false, resetAfter: false },
  { className: 'GRU', inputSize: 3, units: 4, useBias: true, resetAfter: false },
  { className: 'GRU', inputSize: 5, units: 2, useBias: true, resetAfter: true },
  { className: 'GRU', inputSize: 1, units: 3, useBias: false, resetAfter: true },
];

describe('recurrent weights: Keras ↔ PyTorch layout', () => {
  it.each(LAYOUTS.map((l) => [`${l.className} I=${l.inputSize} H=${l.units} bias=${l.useBias} resetAfter=${l.resetAfter}`, l] as const))('%s round-trips', (_label, layout) => {
    const random = new Random(layout.inputSize * 10 + layout.units);
    const keras = kerasRecurrentShapes(layout).map(({ name, shape }) => ({ name, shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)) }));
    for (const suffix of ['', '_reverse']) {
      const torch = recurrentFromKeras(layout, keras, suffix);
      const G = layout.className === 'LSTM' ? 4 : layout.className === 'GRU' ? 3 : 1;
      expect(torch[`weight_ih_l0${suffix}`]!.length).toBe(G * layout.units * layout.inputSize);
      expect(Object.keys(torch).length).toBe(layout.useBias ? 4 : 2);
      expect(recurrentToKeras(layout, (name) => torch[name]!, suffix)).toEqual(keras);
    }
  });

  it('GRU: Keras z, r, h blocks become PyTorch r, z, n', () => {
    const layout: RecurrentLayout = { className: 'GRU', inputSize: 1, units: 1, useBias: true, resetAfter: true };
    const torch = recurrentFromKeras(layout, [
      { name: 'kernel', shape: [1, 3], data: Float32Array.of(1, 2, 3) },
      { name: 'recurrent_kernel', shape: [1, 3], data: Float32Array.of(4, 5, 6) },
      { name: 'bias', shape: [2, 3], data: Float32Array.of(7, 8, 9, 10, 11, 12) },
    ], '');
    expect([...torch.weight_ih_l0!]).toEqual([2, 1, 3]);
    expect([...torch.weight_hh_l0!]).toEqual([5, 4, 6]);
    expect([...torch.bias_ih_l0!]).toEqual([8, 7, 9]);
    expect([...torch.bias_hh_l0!]).toEqual([11, 10, 12]);
  });
});
