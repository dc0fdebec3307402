/** What every peer adapter provides: a prepared workload it can time, or why it cannot run it. */
import type { SharedWeights, Workload, WorkloadData } from './workloads.js';

export type Mode = 'forward' | 'train';

/** One peer set up for one workload: its model built, its data in its own format. */
export interface PreparedCase {
  /** One forward pass over the batch (inference mode), or null when the peer has no training / inference for it. */
  forward: (() => unknown) | null;
  /** One training step on the batch: forward, loss, backward, optimizer update; returns the loss when the peer reports it. */
  train: (() => unknown) | null;
  /**
   * The output of the last forward, batch-first ([B, T, outputs] or [B, outputs]), to check that
   * the peer computes the same function from the shared weights; null for peers with their own
   * weights or cells (brain.js).
   */
  lastOutput: (() => Float32Array | Promise<Float32Array>) | null;
  /** Frees the peer's model and tensors. */
  dispose(): void;
}

export interface Peer {
  /** Column label, e.g. 'tfjs-wasm'. */
  name: string;
  /** Selects the peer on the command line, e.g. 'tfjs-wasm'. */
  id: string;
  /** Sets up the peer for a workload, or returns the reason it cannot express it. */
  prepare(workload: Workload, data: WorkloadData, weights: SharedWeights): Promise<PreparedCase | string>;
}
