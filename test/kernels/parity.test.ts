import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsRuntime, createWasmRuntime } from '../../src/kernels/runtime.js';
import { expectClose } from '../helpers/close.js';
import { runCall, type KernelCall } from './call.js';
import type { KernelCase } from './case.js';
import { cases } from './cases.js';

const wasm = createWasmRuntime();
const js = createJsRuntime();

function checkParity(kernelCase: KernelCase, call: KernelCall): void {
  const fromWasm = runCall(wasm, kernelCase.kernel, call);
  const fromJs = runCall(js, kernelCase.kernel, call);
  const tol = typeof kernelCase.tolerance === 'function' ? kernelCase.tolerance(call) : kernelCase.tolerance;
  for (const name of call.outputs) expectClose(fromWasm.outputs[name]!, fromJs.outputs[name]!, tol, `${kernelCase.kernel} output '${name}'`);
  if (fromJs.returned !== undefined) {
    expect(fromWasm.returned, `${kernelCase.kernel} return value`).toBeTypeOf('number');
    expectClose([fromWasm.returned!], [fromJs.returned], tol, `${kernelCase.kernel} return value`);
  }
}

describe('Wasm kernels agree with their TS twins', () => {
  for (const kernelCase of cases) {
    it(`${kernelCase.kernel} (${kernelCase.domain})`, () => {
      for (const call of kernelCase.special ?? []) checkParity(kernelCase, call);
      fc.assert(fc.property(kernelCase.calls, (call) => checkParity(kernelCase, call)), { seed: 20261123, numRuns: 60 });
    });
  }
});
