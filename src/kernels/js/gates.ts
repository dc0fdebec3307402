import type { HeapArray } from '../../memory/storage.js';

/**
 * Shared helpers of the recurrent step twins (rnn-step.ts, lstm-step.ts, gru-step.ts). Not
 * spread into `twins`: nothing here is a kernel.
 */

/** A gate activation and its derivative, the latter computed from the activation's output y. */
export interface GateActivation {
  apply(x: number): number;
  gradFromOutput(y: number): number;
}

const sigmoid: GateActivation = {
  apply: (x) => 1 / (1 + Math.exp(-x)),
  gradFromOutput: (y) => y * (1 - y),
};

function hardSigmoid(slope: number): GateActivation {
  return {
    apply: (x) => Math.min(Math.max(slope * x + 0.5, 0), 1),
    gradFromOutput: (y) => (y > 0 && y < 1 ? slope : 0),
  };
}

/** tfjs / Keras 2: clip(0.2·x + 0.5, 0, 1). */
const hardSigmoidTfjs = hardSigmoid(0.2);
/** Keras 3: clip(x/6 + 0.5, 0, 1). */
const hardSigmoidKeras3 = hardSigmoid(1 / 6);

/** The `gateAct` code of the step kernels: 0 sigmoid, 1 tfjs hard sigmoid, anything else Keras 3's (as the Wasm kernels read it). */
export function gateActivation(code: number): GateActivation {
  return code === 0 ? sigmoid : code === 1 ? hardSigmoidTfjs : hardSigmoidKeras3;
}

/** Derivative of tanh from its output y. */
export function tanhGradFromOutput(y: number): number {
  return 1 - y * y;
}

/** Whether row `b` is padding: `mask` is a byte offset of [B] 1/0 values, or 0 for no mask. */
export function isMaskedRow(heap: HeapArray, mask: number, b: number): boolean {
  return mask !== 0 && heap[(mask >>> 2) + b] === 0;
}
