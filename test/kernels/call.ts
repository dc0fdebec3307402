import type { Kernels, KernelName } from '../../src/kernels/kernels.js';
import type { Runtime } from '../../src/kernels/runtime.js';

/**
 * One kernel call described independently of a backend. In `args`, a string names a buffer
 * (replaced by its byte offset; naming one buffer twice makes an aliased, in-place call) and a
 * number is passed as it is (sizes, scalars).
 */
export interface KernelCall {
  buffers: Record<string, Float32Array>;
  args: (string | number)[];
  /** Buffers whose contents after the call are compared across backends. */
  outputs: string[];
}

export interface CallResult {
  returned: number | undefined;
  outputs: Record<string, Float64Array>;
}

/** Copies the call's buffers into the runtime's arena, runs the kernel and reads the outputs back. */
export function runCall(runtime: Runtime, kernel: KernelName, call: KernelCall): CallResult {
  const handles = Object.fromEntries(
    Object.entries(call.buffers).map(([name, values]) => {
      const handle = runtime.arena.alloc(values.length);
      handle.view().set(values);
      return [name, handle] as const;
    }),
  );
  const args = call.args.map((arg) => {
    if (typeof arg === 'number') return arg;
    const handle = handles[arg];
    if (!handle) throw new Error(`case for ${kernel}: argument names unknown buffer '${arg}'`);
    return handle.offset;
  });
  const fn = runtime.kernels[kernel] as unknown as (...a: number[]) => number | undefined;
  const returned = fn(...args);
  const outputs = Object.fromEntries(call.outputs.map((name) => [name, Float64Array.from(handles[name]!.view())]));
  for (const handle of Object.values(handles)) runtime.arena.release(handle);
  return { returned: typeof returned === 'number' ? returned : undefined, outputs };
}

export type { Kernels };
