import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import wabtFactory from 'wabt';
import { FORWARD_KERNEL_NAMES } from '../../src/kernels/forward-kernels.js';
import { twins } from '../../src/kernels/js/index.js';
import { wasmForwardBase64, wasmRelaxedForwardBase64 } from '../../src/kernels/wasm/forward-binary.generated.js';

/*
 * The forward-only module of the inference entry (assembly/inference.ts) exports exactly the
 * forward kernel set (src/kernels/forward-kernels.ts) plus heapBase (and its heap), each a kernel of the full ABI,
 * and both of its builds are the modules embedded in the library.
 */

/** Exports that are infrastructure, not kernels (as in abi.test.ts): the end of static data, and the imported heap re-exported. */
const NON_KERNEL_EXPORTS = new Set(['heapBase', 'memory']);

const builds = [
  ['baseline', 'inference.wasm', wasmForwardBase64],
  ['relaxed', 'inference-relaxed.wasm', wasmRelaxedForwardBase64],
] as const;

describe.each(builds)('the forward-only module, %s build (build/%s)', (_build, file, embedded) => {
  const bytes = readFileSync(new URL(`../../build/${file}`, import.meta.url));
  // Read with wabt, not WebAssembly.Module: the relaxed build is checked on engines that cannot compile it.
  let text = '';
  const exported = () => [...text.matchAll(/\(export "([^"]+)" \((\w+)/g)].map(([, name, kind]) => ({ name: name!, kind: kind! }));
  beforeAll(async () => {
    const module = (await wabtFactory()).readWasm(bytes, { readDebugNames: false, simd: true, relaxed_simd: true });
    module.validate();
    text = module.toText({});
  });

  it('is the module embedded in the library', () => {
    expect(Buffer.from(embedded, 'base64').equals(bytes)).toBe(true);
  });

  it('exports exactly the forward kernels, as functions, and heapBase', () => {
    const names = exported().map((entry) => entry.name);
    const kernels = exported().filter((entry) => !NON_KERNEL_EXPORTS.has(entry.name));
    expect(kernels.map((entry) => entry.name).sort()).toEqual([...FORWARD_KERNEL_NAMES].sort());
    expect(kernels.every((entry) => entry.kind === 'func')).toBe(true);
    expect(names).toContain('heapBase');
  });

  it('every forward kernel is a kernel of the full ABI (it has a TS twin)', () => {
    for (const name of FORWARD_KERNEL_NAMES) expect(Object.keys(twins), name).toContain(name);
  });

  it('imports only the heap', () => {
    expect([...text.matchAll(/\(import "([^"]+)" "([^"]+)"/g)].map(([, module, name]) => `${module}.${name}`)).toEqual(['env.memory']);
  });
});
