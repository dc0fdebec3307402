import { describe, expect, it } from 'vitest';
import { twins } from '../../src/kernels/js/index.js';
import { createWasmRuntime } from '../../src/kernels/runtime.js';
import { cases } from './cases.js';

/** Exports of the module that are infrastructure, not kernels. */
const NON_KERNEL_EXPORTS = new Set(['heapBase', 'memory']);

describe('the kernel ABI lists agree', () => {
  const wasmNames = Object.keys(createWasmRuntime().kernels).filter((name) => !NON_KERNEL_EXPORTS.has(name)).sort();
  const twinNames = Object.keys(twins).sort();
  const caseNames = cases.map((c) => c.kernel).sort();

  it('assembly exports == TS twins', () => expect(wasmNames).toEqual(twinNames));
  it('TS twins == parity cases, one case per kernel', () => expect(caseNames).toEqual(twinNames));
});
