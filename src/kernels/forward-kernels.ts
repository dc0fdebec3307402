import { StateError } from '../errors.js';
import type { KernelName, Kernels } from './kernels.js';

/**
 * The kernels running a trained network calls: the forward module of the inference entry
 * (assembly/inference.ts) exports exactly these.
 */
export const FORWARD_KERNEL_NAMES = [
  'gemmNN', 'gemmNT', 'packB', 'gemmPacked',
  'addRowVector', 'fill', 'copy', 'copyRows', 'axpy', 'scale', 'hadamard',
  'tanhForward', 'sigmoidForward', 'reluForward', 'expForward', 'softmaxForward',
  'rnnStepForward', 'lstmStepForward', 'gruStepForward', 'gruResetGateForward',
] as const satisfies readonly KernelName[];

/** The rest of `Kernels`: backward kernels, bias gradients, losses, clipping, optimizers. */
const TRAINING_KERNEL_NAMES = [
  'gemmTN', 'sumRows',
  'tanhBackward', 'sigmoidBackward', 'reluBackward', 'expBackward', 'softmaxBackward',
  'softmaxCrossEntropyForward', 'softmaxCrossEntropyBackward', 'softmaxCrossEntropyDenseForward', 'softmaxCrossEntropyDenseBackward',
  'mseForward', 'mseBackward', 'bceWithLogitsForward', 'bceWithLogitsBackward',
  'sumOfSquares', 'clipByValue', 'countNonFinite',
  'sgdUpdate', 'adamUpdate', 'rmspropUpdate', 'adagradUpdate',
  'rnnStepBackward', 'lstmStepBackward', 'gruStepBackward', 'gruResetGateBackward',
] as const satisfies readonly Exclude<KernelName, ForwardKernelName>[];

export type ForwardKernelName = (typeof FORWARD_KERNEL_NAMES)[number];

/** The forward-only contract: calling a training kernel on it is a compile error. */
export type ForwardKernels = Pick<Kernels, ForwardKernelName>;

// Compile-time: the two lists together name every kernel of the ABI (a kernel added to `Kernels`
// must be sorted into one of them).
type Unlisted = Exclude<KernelName, ForwardKernelName | (typeof TRAINING_KERNEL_NAMES)[number]>;
const everyKernelListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyKernelListed;

/**
 * A full `Kernels` over a forward-only module, for the layers and model cores both entries share
 * (they are typed on `Kernels`): a training kernel throws a StateError naming it instead of
 * failing as "not a function".
 */
export function refuseTrainingKernels(forward: ForwardKernels): Kernels {
  const refused = Object.fromEntries(TRAINING_KERNEL_NAMES.map((name) => [name, () => {
    throw new StateError(`wasm-rnn/inference: kernel '${name}' is training-only and not in the forward-only Wasm module; train with the full entry 'wasm-rnn'`);
  }]));
  return { ...refused, ...forward } as Kernels;
}
