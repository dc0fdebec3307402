import { WasmRnnError } from '../errors.js';

/**
 * Training produced a NaN or infinite loss or gradient norm. Thrown by `fit` before the bad step
 * touches the weights; the model is left with the weights of the last batch whose loss and
 * gradients were finite.
 */
export class DivergenceError extends WasmRnnError {
  override name = 'DivergenceError';

  constructor(
    message: string,
    /** 0-based epoch of the bad batch. */
    readonly epoch: number,
    /** 0-based batch within the epoch. */
    readonly batch: number,
  ) {
    super(message);
  }
}
