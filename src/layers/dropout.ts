import { StateError, ValueError } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import type { Random } from '../random.js';
import { Workspace } from './workspace.js';

/**
 * Inverted dropout on arena byte offsets: in training each element is kept with probability
 * 1 − rate and scaled by 1 / (1 − rate), so inference is the identity (output = input, no copy).
 * The mask is drawn in JS from the caller's seeded generator, the only per-element JS loop of a
 * training step besides the batch copy. With `steps` > 1 the rows are `steps` time blocks of equal
 * size that share one mask (Keras' recurrent input dropout: the same units dropped at every step).
 */
export class DropoutCore {
  private readonly space: Workspace;
  private size = -1;
  private out = 0;
  private mask = 0;
  private input = 0;
  private elements = 0;
  private active = false;
  private ran = false;

  constructor(
    private readonly runtime: Runtime,
    readonly rate: number,
  ) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ValueError(`Dropout: rate must be a number in [0, 1), got ${rate}`);
    this.space = new Workspace(runtime.arena);
  }

  /** Output [rows, width] of the last forward (x itself when dropout was inactive). */
  get output(): number {
    return this.active ? this.out : this.input;
  }

  /** x: [rows, width]; drops only when `training` (and rate > 0). */
  forward(x: number, rows: number, width: number, training: boolean, random: Random, steps = 1): void {
    const n = rows * width;
    this.input = x;
    this.elements = n;
    this.active = training && this.rate > 0;
    this.ran = true;
    if (!this.active) return;
    const k = this.runtime.kernels;
    if (n !== this.size) {
      const o = this.space.carve({ out: n, mask: n });
      this.out = o.out;
      this.mask = o.mask;
      this.size = n;
    }
    const block = n / steps;
    const heap = this.runtime.arena.storage.data;
    const first = this.mask >>> 2;
    const keep = 1 / (1 - this.rate);
    for (let i = 0; i < block; i++) heap[first + i] = random.next() < this.rate ? 0 : keep;
    for (let s = 1; s < steps; s++) k.copy(this.mask + s * block * 4, this.mask, block);
    k.hadamard(this.out, x, this.mask, n);
  }

  /** dx [rows, width] WRITTEN = dOutput ⊙ mask (a copy when dropout was inactive). */
  backward(dOutput: number, dx: number): void {
    if (!this.ran) throw new StateError('DropoutCore.backward: call forward first');
    const k = this.runtime.kernels;
    const n = this.elements;
    if (this.active) k.hadamard(dx, dOutput, this.mask, n);
    else k.copy(dx, dOutput, n);
  }

  release(): void {
    this.space.release();
    this.size = -1;
    this.ran = false;
  }
}
