import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the library, so each test starts before `init`. */
async function freshLibrary() {
  vi.resetModules();
  return import('../../src/index.js');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('init and backend()', () => {
  it('auto picks Wasm SIMD in Node and is idempotent', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    const lib = await freshLibrary();
    expect(await lib.init()).toBe('wasm');
    expect(await lib.init({ backend: 'auto' })).toBe('wasm');
    expect(await lib.init({ backend: 'wasm' })).toBe('wasm');
    expect(lib.backend()).toBe('wasm');
  });

  it('starts the default backend on first use without init', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    const lib = await freshLibrary();
    expect(lib.backend()).toBe('wasm');
  });

  it('falls back to the TS backend when the SIMD probe does not validate', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const lib = await freshLibrary();
    expect(await lib.init({ backend: 'auto' })).toBe('js');
    expect(lib.backend()).toBe('js');
  });

  it('falls back to the TS backend when WebAssembly is missing, without throwing at import', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    vi.stubGlobal('WebAssembly', undefined);
    const lib = await freshLibrary();
    expect(await lib.init()).toBe('js');
  });

  it("refuses 'wasm' without SIMD with a clear error", async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const lib = await freshLibrary();
    await expect(lib.init({ backend: 'wasm' })).rejects.toThrow(/'wasm' was requested but this engine has no WebAssembly SIMD/);
  });

  it('WASM_RNN_BACKEND overrides auto, and an explicit choice overrides it', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', 'js');
    let lib = await freshLibrary();
    expect(await lib.init()).toBe('js');
    lib = await freshLibrary();
    expect(await lib.init({ backend: 'wasm' })).toBe('wasm');
    vi.stubEnv('WASM_RNN_BACKEND', 'fast');
    lib = await freshLibrary();
    await expect(lib.init()).rejects.toThrow("WASM_RNN_BACKEND: expected one of auto, wasm, js, got 'fast'");
  });

  it('rejects unknown options and switching backends after start-up', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    const lib = await freshLibrary();
    await expect(lib.init({ backend: 'gpu' as never })).rejects.toThrow(/backend must be one of 'auto', 'wasm', 'js', got "gpu"/);
    await expect(lib.init({ threadz: 2 } as never)).rejects.toThrow(/unknown option 'threadz' \(did you mean 'threads'\?\)/);
    await lib.init({ backend: 'js' });
    await expect(lib.init({ backend: 'wasm' })).rejects.toThrow(/backend 'js' is already running; cannot switch to 'wasm'/);
  });
});
