import type { Runtime } from '../kernels/runtime.js';
import { Workspace } from '../layers/workspace.js';
import type { Handle } from '../memory/handle.js';

/** The checked, padded arrays of one data set (see dataset.ts), batch-first. */
export interface DatasetArrays {
  readonly count: number;
  /** Padded steps (1 for vector inputs). */
  readonly steps: number;
  /** Features per step (1 for ids). */
  readonly width: number;
  /** Inputs are sequences (steps is a time axis). */
  readonly sequence: boolean;
  /** [count, steps, width]. */
  readonly x: Float32Array;
  /**
   * [count, steps] 1 = a step the model reads (the data's steps without the ids an Embedding with
   * maskZero skips), or null when it reads every step. The layers and the losses see this mask.
   */
  readonly mask: Float32Array | null;
  /**
   * [count, steps] 1 = a step that exists in the data (ragged lengths, sampleLengths, mask), or
   * null when all do. predict writes zeros at the others; at the steps only `mask` skips it
   * returns what the layers compute, as Keras and tfjs do.
   */
  readonly dataMask: Float32Array | null;
  /** Right-padding lengths (batches are trimmed to their longest), or null. */
  readonly lengths: Int32Array | null;
  /** Targets [count, targetSteps, targetWidth] (padded steps: −1 for class ids, else 0), or null (predict). */
  readonly y: Float32Array | null;
  readonly targetWidth: number;
  /** Targets have a time axis of `steps` (per-step outputs). */
  readonly sequenceTargets: boolean;
}

/**
 * A data set copied into the arena once per fit / evaluate / predict call, so each batch is
 * gathered (by sample index, for shuffling) and transposed to time-major with one `copyRows`
 * kernel per sample and buffer, without per-element JS work.
 */
export class ArenaDataset {
  readonly x: Handle;
  readonly mask: Handle | null;
  readonly y: Handle | null;
  /** Real steps of each sample. */
  readonly realSteps: Int32Array;

  constructor(
    private readonly runtime: Runtime,
    readonly arrays: DatasetArrays,
  ) {
    const uploaded: Handle[] = [];
    const upload = (values: Float32Array): Handle => {
      const handle = this.upload(values);
      uploaded.push(handle);
      return handle;
    };
    try {
      this.x = upload(arrays.x);
      this.mask = arrays.mask === null ? null : upload(arrays.mask);
      this.y = arrays.y === null ? null : upload(arrays.y);
    } catch (error) {
      // A MemoryError on a later buffer must not leak the earlier ones: the caller never gets them.
      for (const handle of uploaded) runtime.arena.release(handle);
      throw error;
    }
    const { count, steps, mask } = arrays;
    this.realSteps = new Int32Array(count).fill(steps);
    if (mask !== null) {
      for (let n = 0; n < count; n++) {
        let real = 0;
        for (let t = 0; t < steps; t++) real += mask[n * steps + t]!;
        this.realSteps[n] = real;
      }
    }
  }

  get count(): number {
    return this.arrays.count;
  }

  release(): void {
    for (const handle of [this.x, this.mask, this.y]) if (handle !== null && handle.live) this.runtime.arena.release(handle);
  }

  private upload(values: Float32Array): Handle {
    const handle = this.runtime.arena.alloc(values.length);
    this.runtime.arena.storage.data.set(values, handle.offset >>> 2);
    return handle;
  }
}

/**
 * One batch in the arena, time-major: x [T·B, width], mask [T, B] (0 when every step is real),
 * targets [T·B or B, targetWidth]. Buffers are carved per (T, B) and reused.
 */
export class BatchLoader {
  T = 0;
  B = 0;
  x = 0;
  mask = 0;
  y = 0;
  /** Rows of the output that are real steps (the loss's denominator). */
  realRows = 0;
  /** Values per target row (1 for class ids). */
  targetWidth = 0;
  private readonly space: Workspace;
  private sizes = { x: -1, mask: -1, y: -1 };
  private buffers = { x: 0, mask: 0, y: 0 };

  constructor(private readonly runtime: Runtime) {
    this.space = new Workspace(runtime.arena);
  }

  /** Copies samples order[start .. start + size) of `data` into the batch buffers. */
  load(data: ArenaDataset, order: ArrayLike<number>, start: number, size: number): void {
    const k = this.runtime.kernels;
    const a = data.arrays;
    const B = size;
    const T = this.batchSteps(data, order, start, size);
    this.layout(data, T, B);
    const F = a.width;
    const W = a.targetWidth;
    const rowBytes = a.steps * 4;
    let real = 0;
    for (let b = 0; b < B; b++) {
      const n = order[start + b]!;
      if (a.sequence) k.copyRows(this.x + b * F * 4, data.x.offset + n * rowBytes * F, T, F, B * F, F);
      else k.copy(this.x + b * F * 4, data.x.offset + n * F * 4, F);
      if (data.mask !== null) k.copyRows(this.buffers.mask + b * 4, data.mask.offset + n * rowBytes, T, 1, B, 1);
      if (data.y !== null) {
        if (a.sequenceTargets) k.copyRows(this.y + b * W * 4, data.y.offset + n * rowBytes * W, T, W, B * W, W);
        else k.copy(this.y + b * W * 4, data.y.offset + n * W * 4, W);
      }
      real += data.realSteps[n]!;
    }
    // A batch whose samples are all full length runs without a mask.
    this.mask = data.mask !== null && real < T * B ? this.buffers.mask : 0;
    this.realRows = a.sequenceTargets ? real : B;
    this.targetWidth = W;
    this.T = T;
    this.B = B;
  }

  release(): void {
    this.space.release();
    this.sizes = { x: -1, mask: -1, y: -1 };
  }

  /** The data's padded steps, or the batch's longest sequence when padding is on the right. */
  private batchSteps(data: ArenaDataset, order: ArrayLike<number>, start: number, size: number): number {
    const { lengths, steps } = data.arrays;
    if (lengths === null) return steps;
    let longest = 1;
    for (let b = 0; b < size; b++) longest = Math.max(longest, lengths[order[start + b]!]!);
    return longest;
  }

  private layout(data: ArenaDataset, T: number, B: number): void {
    const a = data.arrays;
    const x = T * B * a.width;
    const mask = data.mask === null ? 0 : T * B;
    const y = data.y === null ? 0 : (a.sequenceTargets ? T * B : B) * a.targetWidth;
    const last = this.sizes;
    // Compared field by field: a training step allocates nothing once the shapes repeat.
    if (x !== last.x || mask !== last.mask || y !== last.y) {
      this.sizes = { x, mask, y };
      this.buffers = this.space.carve(this.sizes);
    }
    this.x = this.buffers.x;
    this.y = this.buffers.y;
  }
}

/** Sample indices start .. start + count − 1. */
export function identityOrder(start: number, count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = start + i;
  return order;
}
