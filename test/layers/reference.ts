import type { GateActivation } from '../../src/layers/cell.js';
import type { LayerKind } from './layer-kinds.js';

/*
 * A plain float64 forward pass written from the formulas in the PyTorch docs (nn.RNN, nn.LSTM,
 * nn.GRU) and the original GRU paper for the reset-before form, one sequence and one step at a
 * time, with no GEMMs and no kernels. Padding follows PyTorch's packed sequences: each sequence
 * runs over its real steps only (the reverse direction starts at its last real step), outputs at
 * padded steps are 0, hN is the state after the last real step.
 */

export interface ReferenceSpec {
  kind: LayerKind;
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bidirectional?: boolean;
  bias?: boolean;
  gateActivation?: GateActivation;
}

export interface ReferenceResult {
  /** [T, B, D·H] time-major. */
  output: Float64Array;
  /** [L·D, B, H]. */
  hN: Float64Array;
  cN: Float64Array;
}

type Params = Record<string, ArrayLike<number>>;

const gateFunctions: Record<GateActivation, (x: number) => number> = {
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  hardSigmoidKeras3: (x) => Math.min(1, Math.max(0, x / 6 + 0.5)),
};

/** x: [T, B, I] time-major; mask: [T, B] 0/1 or undefined; h0, c0: [L·D, B, H] or undefined. */
export function referenceForward(
  spec: ReferenceSpec, params: Params, x: ArrayLike<number>, T: number, B: number,
  options: { h0?: ArrayLike<number>; c0?: ArrayLike<number>; mask?: ArrayLike<number> } = {},
): ReferenceResult {
  const H = spec.hiddenSize;
  const L = spec.numLayers ?? 1;
  const D = spec.bidirectional ? 2 : 1;
  const output = new Float64Array(T * B * D * H);
  const hN = new Float64Array(L * D * B * H);
  const cN = new Float64Array(L * D * B * H);
  for (let b = 0; b < B; b++) {
    const real = (t: number) => options.mask === undefined || options.mask[t * B + b] === 1;
    // The sequence of layer inputs for this b: [T][features].
    let inputs: number[][] = Array.from({ length: T }, (_, t) => Array.from({ length: spec.inputSize }, (_, i) => x[(t * B + b) * spec.inputSize + i]!));
    for (let layer = 0; layer < L; layer++) {
      const outputs: number[][] = Array.from({ length: T }, () => new Array<number>(D * H).fill(0));
      for (let d = 0; d < D; d++) {
        const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        const index = (layer * D + d) * B * H + b * H;
        let h = Array.from({ length: H }, (_, j) => options.h0?.[index + j] ?? 0);
        let c = Array.from({ length: H }, (_, j) => options.c0?.[index + j] ?? 0);
        for (let s = 0; s < T; s++) {
          const t = d === 1 ? T - 1 - s : s;
          if (!real(t)) continue;
          [h, c] = step(spec, params, suffix, inputs[t]!, h, c);
          for (let j = 0; j < H; j++) outputs[t]![d * H + j] = h[j]!;
        }
        for (let j = 0; j < H; j++) {
          hN[index + j] = h[j]!;
          cN[index + j] = c[j]!;
        }
      }
      inputs = outputs;
    }
    for (let t = 0; t < T; t++) output.set(inputs[t]!, (t * B + b) * D * H);
  }
  return { output, hN, cN };
}

/** One step of one cell: returns the new (h, c). */
function step(spec: ReferenceSpec, params: Params, suffix: string, x: number[], h: number[], c: number[]): [number[], number[]] {
  const H = spec.hiddenSize;
  const wIh = params[`weight_ih${suffix}`]!;
  const wHh = params[`weight_hh${suffix}`]!;
  const bIh = spec.bias === false ? undefined : params[`bias_ih${suffix}`];
  const bHh = spec.bias === false ? undefined : params[`bias_hh${suffix}`];
  const gate = gateFunctions[spec.gateActivation ?? 'sigmoid'];
  /** Row `row` of W (width = vector length) times v, plus bias[row]. */
  const affine = (w: ArrayLike<number>, bias: ArrayLike<number> | undefined, row: number, v: number[]) => {
    let sum = bias?.[row] ?? 0;
    for (let k = 0; k < v.length; k++) sum += w[row * v.length + k]! * v[k]!;
    return sum;
  };
  const xw = (row: number) => affine(wIh, bIh, row, x);
  const hw = (row: number, v = h) => affine(wHh, bHh, row, v);
  const range = Array.from({ length: H }, (_, j) => j);
  switch (spec.kind) {
    case 'rnnTanh':
    case 'rnnRelu': {
      const phi = spec.kind === 'rnnTanh' ? Math.tanh : (v: number) => Math.max(v, 0);
      return [range.map((j) => phi(xw(j) + hw(j))), c];
    }
    case 'lstm': {
      const pre = (g: number, j: number) => xw(g * H + j) + hw(g * H + j);
      const cNew = range.map((j) => gate(pre(1, j)) * c[j]! + gate(pre(0, j)) * Math.tanh(pre(2, j)));
      return [range.map((j) => gate(pre(3, j)) * Math.tanh(cNew[j]!)), cNew];
    }
    case 'gruAfter':
    case 'gruBefore': {
      const r = range.map((j) => gate(xw(j) + hw(j)));
      const z = range.map((j) => gate(xw(H + j) + hw(H + j)));
      const rh = range.map((j) => r[j]! * h[j]!);
      const n = range.map((j) => {
        if (spec.kind === 'gruAfter') return Math.tanh(xw(2 * H + j) + r[j]! * hw(2 * H + j));
        return Math.tanh(xw(2 * H + j) + hw(2 * H + j, rh));
      });
      return [range.map((j) => (1 - z[j]!) * n[j]! + z[j]! * h[j]!), c];
    }
  }
}
