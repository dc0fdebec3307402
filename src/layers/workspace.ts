import type { Arena } from '../memory/arena.js';
import type { Handle } from '../memory/handle.js';

/** Buffers of a layout start on 4-element (16-byte) boundaries. */
const ALIGN_ELEMENTS = 4;

/** Byte offsets of named buffers; a buffer of size 0 gets offset 0 ("absent"). */
export type Offsets<K extends string> = Record<K, number>;

/**
 * One arena region holding the activations and caches of a (T, B) shape, carved into named
 * buffers. The region is allocated when a shape first needs it and reused afterwards; it grows
 * (its old contents are dropped) only when a shape needs more than it holds, so a training loop
 * over batches of one shape allocates nothing after the first step.
 */
export class Workspace {
  private region: Handle | null = null;

  constructor(private readonly arena: Arena) {}

  /** Lays out buffers of the given element counts and returns their byte offsets. */
  carve<K extends string>(sizes: Record<K, number>): Offsets<K> {
    let total = 0;
    for (const size of Object.values<number>(sizes)) total += align(size);
    if (this.region === null || this.region.length < total) {
      if (this.region !== null) this.arena.release(this.region);
      this.region = this.arena.alloc(total);
    }
    const offsets = {} as Offsets<K>;
    let cursor = 0;
    for (const name of Object.keys(sizes) as K[]) {
      const size = sizes[name];
      offsets[name] = size === 0 ? 0 : this.region.at(cursor);
      cursor += align(size);
    }
    return offsets;
  }

  release(): void {
    if (this.region !== null) this.arena.release(this.region);
    this.region = null;
  }
}

function align(size: number): number {
  return Math.ceil(size / ALIGN_ELEMENTS) * ALIGN_ELEMENTS;
}
