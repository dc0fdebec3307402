import type { Kernels, KernelName } from '../kernels.js';
import type { HeapArray, Storage } from '../../memory/storage.js';
import * as activation from './activation.js';
import * as clip from './clip.js';
import * as gemm from './gemm.js';
import * as loss from './loss.js';
import * as optim from './optim.js';
import * as rows from './rows.js';
import * as rnnStep from './rnn-step.js';
import * as lstmStep from './lstm-step.js';
import * as gruStep from './gru-step.js';

/** A twin takes the heap array first, then exactly the arguments of its Wasm kernel. */
export type Twin<K extends KernelName> = (heap: HeapArray, ...args: Parameters<Kernels[K]>) => ReturnType<Kernels[K]>;
export type Twins = { [K in KernelName]: Twin<K> };

/** Every pure-TS twin by kernel name; the type makes a missing twin a compile error. */
export const twins: Twins = { ...gemm, ...rows, ...activation, ...loss, ...clip, ...optim, ...rnnStep, ...lstmStep, ...gruStep };

/** The pure-TS backend: each kernel reads the storage's current array, so heap growth is transparent. */
export function createJsKernels(storage: Storage): Kernels {
  const kernels: Record<string, (...args: number[]) => number | void> = {};
  for (const [name, twin] of Object.entries(twins) as [string, (heap: HeapArray, ...args: number[]) => number | void][]) {
    kernels[name] = (...args: number[]) => twin(storage.data, ...args);
  }
  return kernels as unknown as Kernels;
}
