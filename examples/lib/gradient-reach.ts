import { LSTM, SimpleRNN, Tensor, type RecurrentLayer, type Sequential } from '../../src/index.js';

/**
 * How much of the loss gradient reaches each time step: ‖∂L/∂h_t‖ for t = 1..T, where h_t is the
 * hidden state after step t, for a model `[simpleRNN | lstm (one layer), dense(1)]` trained with
 * the mean squared error.
 *
 * The model's weights are copied into a module-level layer (same PyTorch names), and ∂L/∂h_t is
 * read exactly as the `h0` gradient of the rest of the sequence: run steps 1..t to get the state
 * (h_t, c_t), run steps t+1..T from that state, and backpropagate the loss into that initial
 * state. (An LSTM's ∂L/∂h_t here holds c_t fixed: it is the gradient that arrives at h_t, the one
 * that vanishes or not.) This costs T forward/backward passes, fine for T ≤ a few hundred.
 *
 * Returns the Frobenius norms over the batch, [T] (index t − 1 for h_t).
 */
export function gradientReach(model: Sequential, cell: 'simpleRNN' | 'lstm', x: Tensor, y: ArrayLike<number>): number[] {
  const [, T, F] = x.shape as [number, number, number];
  const weights = model.stateDict();
  const H = weights['0.weight_hh_l0']!.shape[1]!;
  const options = { inputSize: F, hiddenSize: H, batchFirst: true, runtime: model.runtime };
  const layer: RecurrentLayer = cell === 'lstm' ? new LSTM(options) : new SimpleRNN(options);
  try {
    layer.loadStateDict(Object.fromEntries(Object.entries(weights).filter(([name]) => name.startsWith('0.')).map(([name, value]) => [name.slice(2), value])));
    const w = weights['1.weight']!.data; // [1, H]
    const bias = weights['1.bias']!.data[0]!;
    const norms: number[] = [];
    for (let t = 1; t < T; t++) {
      const state = layer.forward(steps(x, 0, t));
      const rest = layer.forward(steps(x, t, T), { h0: state.hN, ...(state.cN === undefined ? {} : { c0: state.cN }) });
      norms.push(norm(layer.backward({ hN: lossGradient(rest.hN, w, bias, y) }).h0));
    }
    norms.push(norm(lossGradient(layer.forward(x).hN, w, bias, y)));
    return norms;
  } finally {
    layer.dispose();
  }
}

/** Steps [from, to) of a batch-first [B, T, F] tensor. */
function steps(x: Tensor, from: number, to: number): Tensor {
  const [B, T, F] = x.shape as [number, number, number];
  const out = new Float32Array(B * (to - from) * F);
  for (let b = 0; b < B; b++) out.set(x.data.subarray((b * T + from) * F, (b * T + to) * F), b * (to - from) * F);
  return new Tensor(out, [B, to - from, F]);
}

/** ∂L/∂h_T [1, B, H] for L = mean_b (w·h_T,b + bias − y_b)². */
function lossGradient(hN: Tensor, w: Float32Array, bias: number, y: ArrayLike<number>): Tensor {
  const [, B, H] = hN.shape as [number, number, number];
  const out = new Float32Array(B * H);
  for (let b = 0; b < B; b++) {
    let prediction = bias;
    for (let j = 0; j < H; j++) prediction += w[j]! * hN.data[b * H + j]!;
    const dPrediction = (2 * (prediction - y[b]!)) / B;
    for (let j = 0; j < H; j++) out[b * H + j] = dPrediction * w[j]!;
  }
  return new Tensor(out, [1, B, H]);
}

function norm(t: Tensor): number {
  let sum = 0;
  for (const v of t.data) sum += v * v;
  return Math.sqrt(sum);
}
