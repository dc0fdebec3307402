import { ShapeError, StateError, ValueError } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import type { Handle } from '../memory/handle.js';
import type { HeapArray } from '../memory/storage.js';

/** One named parameter of a size table: its name (PyTorch's, plus any owner prefix) and shape. */
export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Where a parameter lives: byte offsets of its values and of its gradient, and its size. */
export interface ParameterEntry {
  readonly name: string;
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** Byte offset of the values in the arena. */
  readonly value: number;
  /** Byte offset of the gradient in the arena. */
  readonly grad: number;
}

/** What `parameters()` returns per name: views that stay valid until the heap next grows. */
export interface ParameterView {
  readonly shape: readonly number[];
  readonly value: HeapArray;
  readonly grad: HeapArray;
}

/** Entries start on 4-element (16-byte) boundaries so SIMD loads of each head are aligned. */
const ALIGN_ELEMENTS = 4;

/**
 * The parameters of one owner (a layer or a whole model), laid out from a size table (llm.c's
 * `fill_in_parameter_sizes` + `malloc_and_point_parameters`): ALL values in one arena region and
 * ALL gradients in another with the same layout, so an optimizer or a clipping pass runs one
 * kernel over each region. Alignment padding between entries stays zero in both regions.
 */
export class ParameterSet {
  readonly runtime: Runtime;
  /** Every value, in table order. */
  readonly values: Handle;
  /** Every gradient, same layout as `values`. */
  readonly grads: Handle;
  private readonly table = new Map<string, ParameterEntry>();
  private disposed = false;

  constructor(runtime: Runtime, specs: readonly ParameterSpec[]) {
    this.runtime = runtime;
    const placed: { spec: ParameterSpec; start: number; size: number }[] = [];
    const seen = new Set<string>();
    let cursor = 0;
    for (const spec of specs) {
      if (seen.has(spec.name)) {
        throw new ValueError(`ParameterSet: parameter name '${spec.name}' appears twice in the size table`);
      }
      if (spec.shape.some((d) => !Number.isInteger(d) || d < 0)) {
        throw new ShapeError(`ParameterSet: shape of '${spec.name}' must be non-negative integers, got [${spec.shape.join(', ')}]`);
      }
      seen.add(spec.name);
      const size = spec.shape.reduce((a, b) => a * b, 1);
      placed.push({ spec, start: cursor, size });
      cursor += Math.ceil(size / ALIGN_ELEMENTS) * ALIGN_ELEMENTS;
    }
    this.values = runtime.arena.alloc(cursor);
    this.grads = runtime.arena.alloc(cursor);
    for (const { spec, start, size } of placed) {
      this.table.set(spec.name, {
        name: spec.name,
        shape: Object.freeze([...spec.shape]),
        size,
        value: this.values.at(start),
        grad: this.grads.at(start),
      });
    }
  }

  /** Elements in each region, alignment padding included. */
  get length(): number {
    return this.values.length;
  }

  /** Names in table order. */
  names(): string[] {
    return [...this.table.keys()];
  }

  has(name: string): boolean {
    return this.table.has(name);
  }

  entry(name: string): ParameterEntry {
    this.checkLive();
    const entry = this.table.get(name);
    if (entry === undefined) throw new ValueError(`ParameterSet: no parameter named '${name}'; it has ${this.names().join(', ')}`);
    return entry;
  }

  /** Values of one parameter as a view onto the heap (re-take it after the heap grows). */
  value(name: string): HeapArray {
    return this.view(this.entry(name).value, this.entry(name).size);
  }

  /** Gradient of one parameter as a view onto the heap. */
  grad(name: string): HeapArray {
    return this.view(this.entry(name).grad, this.entry(name).size);
  }

  /** Zeroes every gradient: one kernel call over the gradient region. */
  zeroGrad(): void {
    this.checkLive();
    this.runtime.kernels.fill(this.grads.offset, 0, this.grads.length);
  }

  /** Releases both regions; any later use throws StateError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.runtime.arena.release(this.values);
    this.runtime.arena.release(this.grads);
  }

  private view(offset: number, size: number): HeapArray {
    const start = offset >>> 2;
    return this.runtime.arena.storage.data.subarray(start, start + size);
  }

  private checkLive(): void {
    if (this.disposed) throw new StateError('ParameterSet: it was disposed; create a new one');
  }
}
