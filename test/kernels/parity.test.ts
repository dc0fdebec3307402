import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasWasmRelaxedSimd } from '../../src/kernels/detect.js';
import { createJsRuntime, createWasmRuntime } from '../../src/kernels/runtime.js';
import type { WasmBuild } from '../../src/kernels/wasm/instantiate.js';
import { expectClose } from '../helpers/close.js';
import type { Runtime } from '../../src/kernels/runtime.js';
import { runCall, type KernelCall } from './call.js';
import type { KernelCase } from './case.js';
import { cases } from './cases.js';

const js = createJsRuntime();
// The relaxed-SIMD build runs where the engine has relaxed SIMD: under Node 20 only with
// `npx vitest run test/kernels --pool=forks --execArgv=--experimental-wasm-relaxed-simd`.
const builds: WasmBuild[] = hasWasmRelaxedSimd() ? ['baseline', 'relaxed'] : ['baseline'];

function checkParity(wasm: Runtime, kernelCase: KernelCase, call: KernelCall): void {
  const fromWasm = runCall(wasm, kernelCase.kernel, call);
  const fromJs = runCall(js, kernelCase.kernel, call);
  const tol = typeof kernelCase.tolerance === 'function' ? kernelCase.tolerance(call) : kernelCase.tolerance;
  for (const name of call.outputs) expectClose(fromWasm.outputs[name]!, fromJs.outputs[name]!, tol, `${kernelCase.kernel} output '${name}'`);
  if (fromJs.returned !== undefined) {
    expect(fromWasm.returned, `${kernelCase.kernel} return value`).toBeTypeOf('number');
    expectClose([fromWasm.returned!], [fromJs.returned], tol, `${kernelCase.kernel} return value`);
  }
}

describe.each(builds)('Wasm kernels (%s build) agree with their TS twins', (build) => {
  const wasm = createWasmRuntime(build);
  for (const kernelCase of cases) {
    it(`${kernelCase.kernel} (${kernelCase.domain})`, () => {
      for (const call of kernelCase.special ?? []) checkParity(wasm, kernelCase, call);
      fc.assert(fc.property(kernelCase.calls, (call) => checkParity(wasm, kernelCase, call)), { seed: 20261123, numRuns: 60 });
    });
  }
});
