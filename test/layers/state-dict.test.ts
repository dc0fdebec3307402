import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../../src/errors.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { GRU } from '../../src/layers/gru.js';
import { LSTM } from '../../src/layers/lstm.js';
import { SimpleRNN } from '../../src/layers/simple-rnn.js';
import { Tensor, tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';

describe.each(BACKENDS)('on %s', (backend) => {
  const runtime = createRuntime(backend);

  describe('stateDict', () => {
    it("uses PyTorch's names, order and shapes", () => {
      const layer = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, runtime, seed: 1 });
      const shapes = Object.fromEntries(Object.entries(layer.stateDict()).map(([name, t]) => [name, t.shape]));
      expect(Object.keys(shapes)).toEqual([
        'weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0',
        'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse',
        'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1',
        'weight_ih_l1_reverse', 'weight_hh_l1_reverse', 'bias_ih_l1_reverse', 'bias_hh_l1_reverse',
      ]);
      expect(shapes.weight_ih_l0).toEqual([16, 3]);
      expect(shapes.weight_hh_l0).toEqual([16, 4]);
      expect(shapes.bias_ih_l0).toEqual([16]);
      expect(shapes.weight_ih_l1_reverse).toEqual([16, 8]);
      const gru = new GRU({ inputSize: 2, hiddenSize: 5, bias: false, runtime, seed: 1 });
      expect(Object.keys(gru.stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0']);
      expect(gru.stateDict().weight_hh_l0!.shape).toEqual([15, 5]);
      const rnn = new SimpleRNN({ inputSize: 2, hiddenSize: 5, runtime, seed: 1 });
      expect(rnn.stateDict().weight_ih_l0!.shape).toEqual([5, 2]);
      for (const l of [layer, gru, rnn]) l.dispose();
    });

    it('round-trips through loadStateDict: same weights, same outputs', () => {
      const a = new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, runtime, seed: 1 });
      const b = new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, runtime, seed: 2 });
      const x = tensor([[[0.1, 0.2, 0.3]], [[-1, 0.5, 2]]]);
      expect(b.forward(x).output.toArray()).not.toEqual(a.forward(x).output.toArray());
      b.loadStateDict(a.stateDict());
      expect(b.stateDict()).toEqual(a.stateDict());
      expect(b.forward(x).output.toArray()).toEqual(a.forward(x).output.toArray());
      a.dispose();
      b.dispose();
    });

    it('accepts Float32Array, Float64Array, Tensors and nested arrays', () => {
      const layer = new SimpleRNN({ inputSize: 2, hiddenSize: 2, runtime, seed: 1 });
      layer.loadStateDict({
        weight_ih_l0: Float32Array.of(1, 2, 3, 4),
        weight_hh_l0: Float64Array.of(0.5, 0, 0, 0.5),
        bias_ih_l0: new Tensor(Float32Array.of(0.25, -0.25), [2]),
        bias_hh_l0: [0.125, 1],
      });
      const state = layer.stateDict();
      expect(state.weight_ih_l0!.toArray()).toEqual([[1, 2], [3, 4]]);
      expect(state.weight_hh_l0!.toArray()).toEqual([[0.5, 0], [0, 0.5]]);
      expect(state.bias_ih_l0!.toArray()).toEqual([0.25, -0.25]);
      expect(state.bias_hh_l0!.toArray()).toEqual([0.125, 1]);
      // h = tanh(W_ih x + b_ih + b_hh) from h0 = 0, for x = [1, 0]:
      expectClose(layer.forward(tensor([[[1, 0]]])).output.data, [Math.tanh(1.375), Math.tanh(3.75)], { abs: 0, rel: 1e-6 });
      layer.dispose();
    });

    it('names wrong and missing parameters and lists what it expects', () => {
      const layer = new SimpleRNN({ inputSize: 2, hiddenSize: 2, runtime, seed: 1 });
      const good = layer.stateDict();
      const { bias_hh_l0: _dropped, ...missing } = good;
      expect(() => layer.loadStateDict(missing)).toThrow(ValueError);
      expect(() => layer.loadStateDict(missing)).toThrow(
        "SimpleRNN.loadStateDict: parameter names do not match (missing 'bias_hh_l0'); expected exactly weight_ih_l0 [2, 2], weight_hh_l0 [2, 2], bias_ih_l0 [2], bias_hh_l0 [2]",
      );
      expect(() => layer.loadStateDict({ ...good, 'rnn.weight_ih_l0': good.weight_ih_l0! })).toThrow(/unexpected 'rnn.weight_ih_l0'/);
      expect(() => layer.loadStateDict({ ...good, weight_ih_l0: new Tensor(new Float32Array(4), [4, 1]) })).toThrow(ShapeError);
      expect(() => layer.loadStateDict({ ...good, weight_ih_l0: new Tensor(new Float32Array(4), [4, 1]) })).toThrow('weight_ih_l0 must have shape [2, 2], got [4, 1]');
      expect(() => layer.loadStateDict({ ...good, bias_ih_l0: new Float32Array(3) })).toThrow('bias_ih_l0 must hold 2 values (shape [2]), got 3');
      expect(() => layer.loadStateDict({ ...good, bias_ih_l0: Float32Array.of(0, Number.NaN) })).toThrow(/bias_ih_l0 must be finite/);
      expect(() => layer.loadStateDict({ ...good, bias_ih_l0: 'zeros' as never })).toThrow(ValueError);
      expect(() => layer.loadStateDict(null as never)).toThrow(/expected an object mapping parameter names/);
      // A failed load changes nothing.
      expect(layer.stateDict()).toEqual(good);
      layer.dispose();
    });
  });

  describe('initialisation', () => {
    const specs = { inputSize: 3, hiddenSize: 16, numLayers: 2, runtime };

    it('repeats with the same seed and differs with another', () => {
      const a = new LSTM({ ...specs, seed: 42 }).stateDict();
      const b = new LSTM({ ...specs, seed: 42 }).stateDict();
      const c = new LSTM({ ...specs, seed: 43 }).stateDict();
      expect(b).toEqual(a);
      expect(c.weight_ih_l0!.data).not.toEqual(a.weight_ih_l0!.data);
    });

    it("draws PyTorch's U(−1/√H, 1/√H) for every parameter by default", () => {
      const bound = 1 / Math.sqrt(16);
      for (const [name, t] of Object.entries(new GRU({ ...specs, seed: 3 }).stateDict())) {
        const values = Array.from(t.data);
        expect(Math.max(...values.map(Math.abs)), name).toBeLessThanOrEqual(bound);
        // Uniform on [−b, b]: the spread reaches close to both ends and the mean is near 0.
        expect(Math.max(...values), name).toBeGreaterThan(0.8 * bound);
        expect(Math.min(...values), name).toBeLessThan(-0.8 * bound);
      }
    });

    it('offers Glorot-uniform W_ih, orthogonal W_hh, zero biases and unit forget bias (Keras)', () => {
      const H = 16;
      const layer = new LSTM({ ...specs, seed: 5, inputWeightInit: 'glorotUniform', recurrentWeightInit: 'orthogonal', biasInit: 'zeros', unitForgetBias: true });
      const state = layer.stateDict();
      const glorot = Math.sqrt(6 / (3 + 4 * H));
      const wIh = Array.from(state.weight_ih_l0!.data);
      expect(Math.max(...wIh.map(Math.abs))).toBeLessThanOrEqual(glorot);
      expect(Math.max(...wIh.map(Math.abs))).toBeGreaterThan(0.8 * glorot);
      expect(Math.max(...Array.from(state.weight_ih_l1!.data).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (H + 4 * H)));
      // W_hh [4H, H] has orthonormal columns: W_hhᵀ·W_hh = I (Keras' recurrent kernel [H, 4H] has orthonormal rows).
      const w = state.weight_hh_l0!.data;
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < H; j++) {
          let dot = 0;
          for (let r = 0; r < 4 * H; r++) dot += w[r * H + i]! * w[r * H + j]!;
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
        }
      }
      const expectedBias = Array.from({ length: 4 * H }, (_, i) => (i >= H && i < 2 * H ? 1 : 0));
      expect(Array.from(state.bias_ih_l0!.data)).toEqual(expectedBias);
      expect(Array.from(state.bias_ih_l1!.data)).toEqual(expectedBias);
      expect(Array.from(state.bias_hh_l0!.data)).toEqual(new Array(4 * H).fill(0));
      layer.dispose();
    });

    it('makes square orthogonal matrices for SimpleRNN', () => {
      const H = 8;
      const w = new SimpleRNN({ inputSize: 2, hiddenSize: H, recurrentWeightInit: 'orthogonal', runtime, seed: 9 }).stateDict().weight_hh_l0!.data;
      for (let i = 0; i < H; i++) {
        let rowNorm = 0;
        for (let j = 0; j < H; j++) rowNorm += w[i * H + j]! ** 2;
        expect(rowNorm).toBeCloseTo(1, 5);
      }
    });
  });
});
