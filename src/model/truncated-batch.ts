import { Workspace } from '../layers/workspace.js';
import type { RunningMetrics } from '../train/metrics-running.js';
import type { TruncatedHost } from '../train/tbptt.js';
import type { BatchLoader } from './batches.js';
import type { Sequential } from './sequential.js';
import { CarriedStates } from './stateful.js';

/**
 * Truncated BPTT's view of a Sequential model's loaded batch (time-major, so the steps
 * [from, from + count) of x, mask and targets are each one contiguous block).
 */
export class TruncatedBatch implements TruncatedHost {
  private readonly carry: CarriedStates;
  private readonly space: Workspace;
  private gradientSize = -1;
  private dOutput = 0;
  // The last forward: its first step, its steps and its output offset.
  private forwardStart = 0;
  private forwardSteps = 0;
  private output = 0;

  constructor(private readonly model: Sequential) {
    this.carry = new CarriedStates(model.runtime, model.blocks);
    this.space = new Workspace(model.runtime.arena);
  }

  private get batch(): BatchLoader {
    return this.model.batch;
  }

  get steps(): number {
    return this.batch.T;
  }

  resetCarry(): void {
    this.carry.reset(this.batch.B);
  }

  zeroGradients(): void {
    this.model.parameterSet.zeroGrad();
  }

  forwardFrom(from: number, count: number): void {
    const { x, B, mask } = this.batch;
    const F = this.model.plan.input.features;
    const logits = this.model.requireCompiled('fit').fused !== null;
    this.carry.attach();
    try {
      this.output = this.model.forwardBatch(x + from * B * F * 4, count, B, mask === 0 ? 0 : mask + from * B * 4, true, logits);
      this.forwardStart = from;
      this.forwardSteps = count;
    } finally {
      this.carry.detach();
    }
  }

  keepFinalStates(): void {
    this.carry.keepFinal();
  }

  realRows(from: number, to: number): number {
    const { B, mask } = this.batch;
    if (mask === 0) return (to - from) * B;
    const heap = this.model.runtime.arena.storage.data;
    let real = 0;
    for (let i = (mask >>> 2) + from * B; i < (mask >>> 2) + to * B; i++) real += heap[i]!;
    return real;
  }

  lossAndBackward(from: number, to: number, realRows: number, metrics: RunningMetrics): number {
    const { B, mask, y, targetWidth } = this.batch;
    const units = this.model.plan.output.features;
    const { output, forwardStart, forwardSteps } = this;
    const skipped = (from - forwardStart) * B * units;
    const rows = (to - from) * B;
    const loss = this.model.lossOfRows(output + skipped * 4, y + from * B * targetWidth * 4, rows, mask === 0 ? 0 : mask + from * B * 4, realRows, metrics);
    const dScored = this.model.lossGradient();
    if (skipped === 0) {
      this.model.backwardBatch(dScored);
      return loss;
    }
    // The steps before `from` only carry gradient back: their own outputs are not scored.
    const dOutput = this.gradientBuffer(forwardSteps * B * units);
    const k = this.model.runtime.kernels;
    k.fill(dOutput, 0, skipped);
    k.copy(dOutput + skipped * 4, dScored, rows * units);
    this.model.backwardBatch(dOutput);
    return loss;
  }

  release(): void {
    this.carry.release();
    this.space.release();
    this.gradientSize = -1;
  }

  private gradientBuffer(size: number): number {
    if (size !== this.gradientSize) {
      this.dOutput = this.space.carve({ dOutput: size }).dOutput;
      this.gradientSize = size;
    }
    return this.dOutput;
  }
}
