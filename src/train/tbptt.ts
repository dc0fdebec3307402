import { OptionError, checkOptionNames, describe, positiveInteger } from '../errors.js';
import type { RunningMetrics } from './metrics-running.js';

/*
 * Truncated backpropagation through time (Williams & Peng 1990, "BPTT(h; h′)"; Sutskever 2013,
 * §2.8.6): a long sequence is trained in windows. Every k1 steps the model makes one update from
 * the loss of those k1 steps, backpropagated through the last k2 steps only (k2 ≥ k1). The
 * recurrent state is carried from window to window, so the forward pass sees the whole sequence;
 * only the gradient is cut.
 *
 * Window u scores steps [a, b) = [u·k1, min((u+1)·k1, T)) and runs forward over [w, b) with
 * w = max(0, b − k2), starting from the state carried at step w. When k2 = k1 the windows tile the
 * sequence and the carried state is simply the window's final state; when k2 > k1 the windows
 * overlap and the state at the next window's start is recomputed by a forward over [w, w′).
 */

/** fit's `tbptt` option. */
export interface TbpttOptions {
  /** Steps between updates. */
  k1: number;
  /** Steps of history each update backpropagates through, ≥ k1. Default k1. */
  k2?: number;
}

export interface TbpttSettings {
  readonly k1: number;
  readonly k2: number;
}

export function readTbpttOptions(where: string, value: unknown): TbpttSettings | null {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null) throw new OptionError(`${where}: tbptt must be { k1, k2? } (steps between updates, steps backpropagated), got ${describe(value)}`);
  checkOptionNames(`${where}: tbptt`, value, ['k1', 'k2']);
  const { k1: rawK1, k2: rawK2 } = value as TbpttOptions;
  if (rawK1 === undefined) throw new OptionError(`${where}: tbptt.k1 (steps between updates) is required`);
  const k1 = positiveInteger(`${where}: tbptt`, 'k1', rawK1);
  const k2 = positiveInteger(`${where}: tbptt`, 'k2', rawK2 ?? k1);
  if (k2 < k1) throw new OptionError(`${where}: tbptt.k2 (${k2}) must be ≥ k1 (${k1}): each update backpropagates through at least the steps it scores`);
  return { k1, k2 };
}

/** What a model offers truncated BPTT on its loaded batch. */
export interface TruncatedHost {
  /** Steps of the loaded batch. */
  readonly steps: number;
  /** Starts the loaded batch's sequences from zero recurrent states. */
  resetCarry(): void;
  zeroGradients(): void;
  /** Training forward over steps [from, from + count) from the carried states. */
  forwardFrom(from: number, count: number): void;
  /** The last forward's final states become the carried states. */
  keepFinalStates(): void;
  /** Real (unmasked) rows at steps [from, to). */
  realRows(from: number, to: number): number;
  /**
   * Loss and metrics of the last forward's outputs at steps [from, to) (which end where the
   * forward ended), then backward through the whole forward; returns the mean loss.
   */
  lossAndBackward(from: number, to: number, realRows: number, metrics: RunningMetrics): number;
}

export class TruncatedBptt {
  constructor(readonly settings: TbpttSettings) {}

  /** Updates a batch of T steps makes. */
  windows(T: number): number {
    return Math.ceil(T / this.settings.k1);
  }

  /**
   * Zeroes the gradients, runs window u (in order: u = 0, 1, …) forward and backward, and carries
   * the state to the next window's start. Returns the window's mean loss, or null when it has no
   * real step (nothing to update).
   */
  trainWindow(host: TruncatedHost, u: number, metrics: RunningMetrics): number | null {
    const { k1, k2 } = this.settings;
    const T = host.steps;
    const a = u * k1;
    const b = Math.min(a + k1, T);
    const w = Math.max(0, b - k2);
    if (u === 0) host.resetCarry();
    host.zeroGradients();
    host.forwardFrom(w, b - w);
    const real = host.realRows(a, b);
    const loss = real > 0 ? host.lossAndBackward(a, b, real, metrics) : null;
    if (b < T) {
      const next = Math.max(0, Math.min(b + k1, T) - k2);
      if (next === b) host.keepFinalStates();
      else if (next > w) {
        host.forwardFrom(w, next - w);
        host.keepFinalStates();
      }
    }
    return loss;
  }
}
