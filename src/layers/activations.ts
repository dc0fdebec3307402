import type { Kernels } from '../kernels/kernels.js';

/** Output activations of Dense layers (Keras' names). */
export type ActivationName = 'linear' | 'tanh' | 'sigmoid' | 'relu' | 'softmax';
export const ACTIVATION_NAMES: readonly ActivationName[] = ['linear', 'tanh', 'sigmoid', 'relu', 'softmax'];

/** y: [rows, cols] = act(x), in place when y = x ('linear' copies unless y = x). */
export function activationForward(k: Kernels, activation: ActivationName, y: number, x: number, rows: number, cols: number): void {
  const n = rows * cols;
  switch (activation) {
    case 'linear':
      if (y !== x) k.copy(y, x, n);
      return;
    case 'tanh':
      return k.tanhForward(y, x, n);
    case 'sigmoid':
      return k.sigmoidForward(y, x, n);
    case 'relu':
      return k.reluForward(y, x, n);
    case 'softmax':
      return k.softmaxForward(y, x, rows, cols);
  }
}

/** dx: [rows, cols] += dy ⊙ act'(x), from y = act(x) kept by forward ('linear': dx += dy). */
export function activationBackward(k: Kernels, activation: ActivationName, dx: number, dy: number, y: number, rows: number, cols: number): void {
  const n = rows * cols;
  switch (activation) {
    case 'linear':
      return k.axpy(dx, dy, n, 1);
    case 'tanh':
      return k.tanhBackward(dx, dy, y, n);
    case 'sigmoid':
      return k.sigmoidBackward(dx, dy, y, n);
    case 'relu':
      return k.reluBackward(dx, dy, y, n);
    case 'softmax':
      return k.softmaxBackward(dx, dy, y, rows, cols);
  }
}
