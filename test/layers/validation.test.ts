import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError, StateError, ValueError } from '../../src/errors.js';
import { createJsRuntime } from '../../src/kernels/runtime.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { GRU } from '../../src/layers/gru.js';
import { LSTM } from '../../src/layers/lstm.js';
import { ParameterSet } from '../../src/layers/parameters.js';
import { SimpleRNN } from '../../src/layers/simple-rnn.js';
import { Tensor, tensor } from '../../src/tensor.js';

const zeros = (...shape: number[]) => new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);

describe.each(BACKENDS)('on %s', (backend) => {
  const runtime = createRuntime(backend);

  describe('constructor options', () => {
    it('rejects unknown options with a did-you-mean', () => {
      expect(() => new LSTM({ inputSize: 3, hiddenSize: 4, hiddenSzie: 5, runtime } as never)).toThrow(OptionError);
      expect(() => new LSTM({ inputSize: 3, hiddenSize: 4, numLayer: 2, runtime } as never)).toThrow(/unknown option 'numLayer' \(did you mean 'numLayers'\?\)/);
      expect(() => new SimpleRNN({ inputSize: 3, hiddenSize: 4, gateActivation: 'sigmoid', runtime } as never)).toThrow(/unknown option 'gateActivation'/);
      expect(() => new GRU({ inputSize: 3, hiddenSize: 4, unitForgetBias: true, runtime } as never)).toThrow(OptionError);
    });

    it('requires sizes and checks their values', () => {
      expect(() => new GRU({ hiddenSize: 4, runtime } as never)).toThrow(/GRU: inputSize is required/);
      expect(() => new GRU({ inputSize: 0, hiddenSize: 4, runtime })).toThrow(ValueError);
      expect(() => new GRU({ inputSize: 2, hiddenSize: 4.5, runtime })).toThrow(/hiddenSize must be a positive integer, got 4.5/);
      expect(() => new GRU({ inputSize: 2, hiddenSize: 4, numLayers: '2', runtime } as never)).toThrow(OptionError);
      expect(() => new GRU({ inputSize: 2, hiddenSize: 4, bidirectional: 1, runtime } as never)).toThrow(/bidirectional must be true or false/);
      expect(() => new LSTM(null as never)).toThrow(OptionError);
    });

    it('checks the choices of each layer', () => {
      expect(() => new SimpleRNN({ inputSize: 2, hiddenSize: 3, nonlinearity: 'sigmoid', runtime } as never)).toThrow(/nonlinearity must be one of 'tanh', 'relu'/);
      expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, gateActivation: 'hardsigmoid', runtime } as never)).toThrow(/did you mean 'hardSigmoid'/);
      expect(() => new GRU({ inputSize: 2, hiddenSize: 3, resetAfter: 'yes', runtime } as never)).toThrow(OptionError);
      expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, recurrentWeightInit: 'orthonormal', runtime } as never)).toThrow(/recurrentWeightInit/);
      expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, unitForgetBias: true, bias: false, runtime })).toThrow(/unitForgetBias needs bias: true/);
      expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, seed: 1.5, runtime })).toThrow(/seed must be an integer/);
    });

    it('checks a shared parameter set', () => {
      const set = new ParameterSet(runtime, LSTM.parameterSpecs({ inputSize: 2, hiddenSize: 3 }));
      expect(() => new LSTM({ inputSize: 2, hiddenSize: 4, parameterSet: set })).toThrow(ShapeError);
      expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, parameterSet: set, parameterPrefix: 'enc.' })).toThrow(/no parameter 'enc.weight_ih_l0'/);
      expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, parameterSet: set, runtime: createJsRuntime() })).toThrow(/runtime differs/);
      set.dispose();
    });
  });

  describe('forward and backward inputs', () => {
    const layer = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, runtime, seed: 1 });
    const x = zeros(5, 2, 3);

    it('names the argument, the expected and the actual shape', () => {
      expect(() => layer.forward(zeros(5, 3))).toThrow(ShapeError);
      expect(() => layer.forward(zeros(5, 2, 4))).toThrow('LSTM.forward: x must have shape [T, B, 3] with T, B ≥ 1, got [5, 2, 4]');
      expect(() => layer.forward(zeros(0, 2, 3))).toThrow(ShapeError);
      expect(() => layer.forward(x, { h0: zeros(1, 2, 4) })).toThrow('LSTM.forward: h0 must have shape [numLayers·numDirections, B, hiddenSize] = [2, 2, 4], got [1, 2, 4]');
      expect(() => layer.forward(x, { c0: zeros(2, 3, 4) })).toThrow(/c0 must have shape .* = \[2, 2, 4\], got \[2, 3, 4\]/);
      expect(() => layer.forward('x' as never)).toThrow(/x must be a Tensor or nested number arrays, got "x"/);
      expect(() => layer.forward(x, null as never)).toThrow(/LSTM.forward: expected an object with h0, c0, lengths, mask, got null/);
    });

    it('rejects NaN and Infinity', () => {
      const bad = zeros(5, 2, 3);
      bad.data[7] = Number.NaN;
      expect(() => layer.forward(bad)).toThrow(ValueError);
      expect(() => layer.forward(bad)).toThrow(/x must be finite, but element 7 is NaN/);
      const badState = zeros(2, 2, 4);
      badState.data[0] = Infinity;
      expect(() => layer.forward(x, { h0: badState })).toThrow(/h0 must be finite/);
    });

    it('checks lengths and masks', () => {
      expect(() => layer.forward(x, { lengths: [5] })).toThrow(/one length per sequence \(B = 2\), got 1/);
      expect(() => layer.forward(x, { lengths: [5, 6] })).toThrow(/lengths\[1\] must be an integer in \[0, 5\]/);
      expect(() => layer.forward(x, { lengths: [5, 1.5] })).toThrow(ValueError);
      expect(() => layer.forward(x, { mask: zeros(2, 5) })).toThrow(/mask must have shape \[T, B\] = \[5, 2\], got \[2, 5\]/);
      const half = zeros(5, 2);
      half.data[3] = 0.5;
      expect(() => layer.forward(x, { mask: half })).toThrow(/mask values must be 0 or 1, got 0.5 at step 1 of sequence 1/);
      expect(() => layer.forward(x, { lengths: [5, 5], mask: zeros(5, 2) })).toThrow(/either lengths or mask/);
      expect(() => layer.forward(x, { lenghts: [5, 5] } as never)).toThrow(/did you mean 'lengths'/);
    });

    it('accepts only the states of its cell', () => {
      const gru = new GRU({ inputSize: 3, hiddenSize: 4, runtime, seed: 1 });
      expect(() => gru.forward(x, { c0: zeros(1, 2, 4) } as never)).toThrow(/unknown option 'c0'/);
      gru.forward(x);
      expect(() => gru.backward({ cN: zeros(1, 2, 4) } as never)).toThrow(/unknown option 'cN'/);
      gru.dispose();
    });

    it('checks backward gradients against the last forward', () => {
      const fresh = new SimpleRNN({ inputSize: 3, hiddenSize: 4, runtime, seed: 1 });
      expect(() => fresh.backward({})).toThrow(StateError);
      fresh.forward(x);
      expect(() => fresh.backward({ output: zeros(5, 2, 3) })).toThrow('SimpleRNN.backward: output must have shape [T, B, D·H] = [5, 2, 4], got [5, 2, 3]');
      const nan = zeros(1, 2, 4);
      nan.data[1] = Number.NaN;
      expect(() => fresh.backward({ hN: nan })).toThrow(ValueError);
      fresh.dispose();
    });

    it('fails with StateError after dispose and gives its memory back', () => {
      const before = runtime.arena.stats();
      const temporary = new GRU({ inputSize: 3, hiddenSize: 4, bidirectional: true, runtime, seed: 2 });
      temporary.forward(tensor([[[1, 2, 3]]]));
      temporary.backward({});
      temporary.dispose();
      temporary.dispose();
      const after = runtime.arena.stats();
      expect([after.usedBytes, after.liveRegions]).toEqual([before.usedBytes, before.liveRegions]);
      expect(() => temporary.forward(x)).toThrow(StateError);
      expect(() => temporary.backward({})).toThrow(StateError);
      expect(() => temporary.stateDict()).toThrow('GRU.stateDict: this GRU was disposed');
      expect(() => temporary.parameters()).toThrow(StateError);
      expect(() => temporary.zeroGrad()).toThrow(StateError);
      expect(() => temporary.core.forward(0, 1, 1, 0, 0, 0)).toThrow(StateError);
    });
  });
});
