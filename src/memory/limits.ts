import { ValueError } from '../errors.js';

/**
 * Largest heap, in bytes: the 4 GiB address space of Wasm32 linear memory. The TS backend keeps
 * the same limit, since offsets are unsigned 32-bit byte offsets (`offset >>> 2`) on both.
 */
export const MAX_HEAP_BYTES = 2 ** 32;

/**
 * A layer's parameters with their gradients must fit in the heap: checked when a model is planned,
 * before anything is allocated, so that `units: 1e6` on 1e6 features fails naming the layer.
 */
export function parametersWithinHeap<T extends { readonly shape: readonly number[] }>(where: string, label: string, parameters: T[]): T[] {
  const count = parameters.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
  const bytes = count * 4 * 2;
  if (bytes > MAX_HEAP_BYTES) {
    throw new ValueError(
      `${where}: ${label} would hold ${count} parameters (${bytes} bytes with their gradients), over the heap limit of ${MAX_HEAP_BYTES} bytes (4 GiB); use fewer units or features`,
    );
  }
  return parameters;
}
