import { afterEach, describe, expect, it, vi } from 'vitest';
import { StateError } from '../../src/errors.js';

/** A fresh copy of the library, so each test starts before `init`. */
async function freshLibrary() {
  vi.resetModules();
  return import('../../src/index.js');
}

let library: Awaited<ReturnType<typeof freshLibrary>> | null = null;

afterEach(async () => {
  await library?.dispose();
  library = null;
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('init({ threads })', () => {
  it('starts workers, reports them, resizes and disposes', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    library = await freshLibrary();
    expect(library.threads()).toBe(1);
    expect(await library.init({ threads: 2 })).toBe('wasm');
    expect(library.threads()).toBe(2);
    expect(await library.init({ threads: 3 })).toBe('wasm');
    expect(library.threads()).toBe(3);
    await library.init({ threads: 1 });
    expect(library.threads()).toBe(1);
    await library.init({ threads: 2 });
    await library.dispose();
    expect(library.threads()).toBe(1);
    // After dispose a new backend starts, here on one thread.
    expect(await library.init()).toBe('wasm');
    expect(library.threads()).toBe(1);
  }, 60_000);

  it('falls back to one thread with one warning where SharedArrayBuffer is missing (a browser page without cross-origin isolation)', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    library = await freshLibrary();
    const started = performance.now();
    expect(await library.init({ threads: 2 })).toBe('wasm');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(library.threads()).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/threads: 2 is unavailable here: SharedArrayBuffer is not available.*cross-origin isolated.*running on one thread/);
    // Asking again falls back the same way rather than claiming the backend started single-threaded by choice.
    await library.init({ threads: 2 });
    expect(library.threads()).toBe(1);
  });

  it('falls back where the page is not cross-origin isolated', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    vi.stubGlobal('crossOriginIsolated', false);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    library = await freshLibrary();
    await library.init({ threads: 2 });
    expect(library.threads()).toBe(1);
  });

  it('throws StateError instead with strict: true', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    vi.stubGlobal('SharedArrayBuffer', undefined);
    library = await freshLibrary();
    const failure = library.init({ threads: 2, strict: true });
    await expect(failure).rejects.toBeInstanceOf(library.StateError);
    await expect(library.init({ threads: 2, strict: true })).rejects.toThrow(/threads: 2 is unavailable here: SharedArrayBuffer is not available.*without strict: true/);
  });

  it("runs the 'js' backend on one thread (warning, or StateError with strict)", async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    library = await freshLibrary();
    expect(await library.init({ backend: 'js', threads: 2 })).toBe('js');
    expect(library.threads()).toBe(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/the 'js' backend runs on one thread/);
    await expect(library.init({ threads: 2, strict: true })).rejects.toThrow(/'js' backend runs on one thread/);
  });

  it('refuses threads after a one-thread start, and bad values, naming the option', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    library = await freshLibrary();
    await library.init();
    await expect(library.init({ threads: 2 })).rejects.toThrow(/threads: 2 was requested after the 'wasm' backend started on one thread.*dispose\(\) first/);
    await expect(library.init({ threads: 0 })).rejects.toThrow(/init: threads must be a positive integer, got 0/);
    await expect(library.init({ threads: 1.5 })).rejects.toThrow(/threads must be a positive integer/);
    await expect(library.init({ threads: 65 })).rejects.toThrow(/threads must be at most 64, got 65/);
    await expect(library.init({ threads: '2' as never })).rejects.toThrow(/threads must be a positive integer, got/);
    await expect(library.init({ threads: 2, strict: 'yes' as never })).rejects.toThrow(/strict must be true or false, got "yes"/);
    await expect(library.init({ thread: 2 } as never)).rejects.toThrow(/unknown option 'thread' \(did you mean 'threads'\?\)/);
    expect(StateError).toBeDefined();
  });
});
