import type { Runtime } from '../kernels/runtime.js';
import { Workspace } from '../layers/workspace.js';
import type { Block, StepContext } from './blocks.js';
import { zeroMaskedRows } from './mask-rows.js';
import type { PlannedLayer } from './stack.js';

/**
 * Keras' Masking: a step whose features all equal maskValue is masked. Its output row is zeros
 * (Keras multiplies the input by the mask), and the mask, ANDed with the batch's own mask
 * (sampleLengths, mask, maskZero), becomes ctx.mask for the layers after it, so recurrent layers
 * skip those steps. x: [T·B, F] time-major; mask [T, B].
 */
export class MaskingBlock implements Block {
  private readonly space: Workspace;
  private readonly maskValue: number;
  private key = -1;
  private buffers = { output: 0, mask: 0 };

  constructor(
    private readonly runtime: Runtime,
    readonly plan: PlannedLayer,
  ) {
    if (plan.spec.className !== 'Masking') throw new TypeError('MaskingBlock needs a Masking spec');
    // Keras compares in the input's dtype (float32).
    this.maskValue = Math.fround(plan.spec.config.maskValue);
    this.space = new Workspace(runtime.arena);
  }

  forward(x: number, ctx: StepContext): number {
    const rows = ctx.T * ctx.B;
    const F = this.plan.input.features;
    if (rows !== this.key) {
      this.buffers = this.space.carve({ output: rows * F, mask: rows });
      this.key = rows;
    }
    const heap = this.runtime.arena.storage.data;
    const input = x >>> 2;
    const output = this.buffers.output >>> 2;
    const mask = this.buffers.mask >>> 2;
    const given = ctx.mask >>> 2;
    for (let row = 0; row < rows; row++) {
      let real = ctx.mask === 0 || heap[given + row] !== 0;
      if (real) {
        real = false;
        for (let f = 0; f < F && !real; f++) real = heap[input + row * F + f] !== this.maskValue;
      }
      heap[mask + row] = real ? 1 : 0;
      if (real) heap.copyWithin(output + row * F, input + row * F, input + (row + 1) * F);
      else heap.fill(0, output + row * F, output + (row + 1) * F);
    }
    ctx.mask = this.buffers.mask;
    return this.buffers.output;
  }

  /** In place: masked rows get no gradient. */
  backward(dOutput: number, wantInput: boolean): number {
    if (!wantInput) return 0;
    zeroMaskedRows(this.runtime, dOutput, this.buffers.mask, this.key, this.plan.input.features);
    return dOutput;
  }

  initialise(): void {}

  release(): void {
    this.space.release();
    this.key = -1;
  }
}
