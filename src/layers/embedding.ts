import { StateError, ValueError } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import type { ParameterSet, ParameterSpec } from './parameters.js';
import { Workspace } from './workspace.js';

/** Sizes of an Embedding layer: ids in [0, inputDim), vectors of outputDim. */
export interface EmbeddingShape {
  readonly inputDim: number;
  readonly outputDim: number;
}

/** PyTorch's nn.Embedding table: `weight` [inputDim, outputDim]. */
export function embeddingParameterSpecs(shape: EmbeddingShape): ParameterSpec[] {
  return [{ name: 'weight', shape: [shape.inputDim, shape.outputDim] }];
}

/**
 * Row lookup from integer ids on arena byte offsets: forward copies row `id` of the weight for each
 * of `rows` ids (f32 holding integers, read in JS, one `copy` kernel per row); backward
 * scatter-adds each output gradient row into the weight gradient row of its id (one `axpy` per
 * row), so repeated ids accumulate. The ids must stay unchanged in the arena until `backward`.
 */
export class EmbeddingCore {
  private readonly weight: number;
  private readonly dWeight: number;
  private readonly space: Workspace;
  private rows = -1;
  private out = 0;
  private ids = 0;
  private ran = false;

  constructor(
    private readonly runtime: Runtime,
    readonly shape: EmbeddingShape,
    parameters: ParameterSet,
    prefix = '',
  ) {
    const weight = parameters.entry(`${prefix}weight`);
    this.weight = weight.value;
    this.dWeight = weight.grad;
    this.space = new Workspace(runtime.arena);
  }

  /** Vectors [rows, outputDim] of the last forward. */
  get output(): number {
    return this.out;
  }

  /** ids: [rows] f32 integer ids in [0, inputDim) → output [rows, outputDim]. */
  forward(ids: number, rows: number): void {
    const k = this.runtime.kernels;
    const D = this.shape.outputDim;
    if (rows !== this.rows) {
      this.out = this.space.carve({ out: rows * D }).out;
      this.rows = rows;
    }
    const heap = this.runtime.arena.storage.data;
    const first = ids >>> 2;
    for (let r = 0; r < rows; r++) {
      const id = this.checkedId(heap[first + r]!, r);
      k.copy(this.out + r * D * 4, this.weight + id * D * 4, D);
    }
    this.ids = ids;
    this.ran = true;
  }

  /** dOutput: [rows, outputDim]; the weight gradient ACCUMULATES (ids have no gradient). */
  backward(dOutput: number): void {
    if (!this.ran) throw new StateError('EmbeddingCore.backward: call forward first');
    const k = this.runtime.kernels;
    const D = this.shape.outputDim;
    const heap = this.runtime.arena.storage.data;
    const first = this.ids >>> 2;
    for (let r = 0; r < this.rows; r++) {
      k.axpy(this.dWeight + heap[first + r]! * D * 4, dOutput + r * D * 4, D, 1);
    }
  }

  release(): void {
    this.space.release();
    this.rows = -1;
    this.ran = false;
  }

  /** Guards the arena: an id outside the table would read another region. */
  private checkedId(id: number, row: number): number {
    if (!(id >= 0 && id < this.shape.inputDim && Number.isInteger(id))) {
      throw new ValueError(`Embedding: id at row ${row} must be an integer in [0, ${this.shape.inputDim}), got ${id}`);
    }
    return id;
  }
}
