import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

/** OS threads of this process (Linux): each worker is one, so terminated workers are seen to be gone. */
const osThreads = () => readdirSync('/proc/self/task').length;

describe.runIf(existsSync('/proc/self/task'))('dispose', () => {
  it('terminates the worker threads (init again with fewer threads too)', async () => {
    vi.stubEnv('WASM_RNN_BACKEND', '');
    vi.resetModules();
    const library = await import('../../src/index.js');
    const before = osThreads();
    await library.init({ threads: 3 });
    expect(osThreads()).toBe(before + 2);
    await library.init({ threads: 2 });
    expect(osThreads()).toBe(before + 1);
    await library.dispose();
    expect(osThreads()).toBe(before);
    expect(library.threads()).toBe(1);
    vi.unstubAllEnvs();
  }, 60_000);
});
