import { describe, expect, it } from 'vitest';
import { gradientReach } from '../../examples/lib/gradient-reach.js';
import { SeededRandom } from '../../examples/lib/random.js';
import { Tensor, layers, sequential } from '../../src/index.js';

/*
 * With input and recurrent weights tied (W_ih = W_hh, input size = hidden size), x_{t+1} enters
 * step t + 1 exactly as h_t does (through W_hh·h_t, c_t held fixed for an LSTM), so ∂L/∂h_t equals
 * ∂L/∂x_{t+1}. That gradient is measured here by central differences of model.evaluate's loss,
 * independently of the module API and of the suffix trick gradientReach uses.
 */
describe.each(['simpleRNN', 'lstm'] as const)('gradientReach (%s)', (cell) => {
  it('equals the finite-difference ‖∂L/∂x_{t+1}‖ of a model with tied input and recurrent weights', () => {
    const [B, T, H] = [3, 6, 4];
    const random = new SeededRandom(5);
    const model = sequential([layers[cell]({ units: H, inputShape: [T, H] }), layers.dense({ units: 1 })], { seed: 2 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const weights = model.stateDict();
    model.loadStateDict({ ...weights, '0.weight_ih_l0': weights['0.weight_hh_l0']! });
    const x = new Tensor(Float32Array.from({ length: B * T * H }, () => random.next() * 2 - 1), [B, T, H]);
    const y = Array.from({ length: B }, () => random.next() * 2);
    const targets = y.map((v) => [v]);

    const reach = gradientReach(model, cell, x, y);
    const epsilon = 1e-2;
    const loss = (data: Float32Array) => model.evaluate(new Tensor(data, [B, T, H]), targets).loss!;
    for (let t = 1; t < T; t++) {
      let sum = 0;
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) {
          const at = (b * T + t) * H + j; // x_{t+1} is step index t
          const plus = Float32Array.from(x.data);
          const minus = Float32Array.from(x.data);
          plus[at]! += epsilon;
          minus[at]! -= epsilon;
          sum += ((loss(plus) - loss(minus)) / (2 * epsilon)) ** 2;
        }
      }
      expect(reach[t - 1]! / Math.sqrt(sum), `t = ${t}`).toBeCloseTo(1, 2);
    }
    expect(reach).toHaveLength(T);
    model.dispose();
  });
});
