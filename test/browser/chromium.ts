// Headless Chromium from Debian's `chromium` package, driven by playwright-core (which never
// downloads a browser of its own). .ci/run installs the package when /usr/bin/chromium is missing.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep Chromium from calling out to the network (blocked here) or needing a GPU. */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\` (as .ci/run does)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Before any page script: an engine without WebAssembly (Chromium ignores --js-flags=--noexpose_wasm). */
export const WITHOUT_WEBASSEMBLY = 'delete globalThis.WebAssembly;';

/**
 * Before any page script: an engine with WebAssembly but without SIMD. It refuses every module
 * holding a 0xFD byte (the SIMD opcode prefix), in `validate` and when compiling, so neither the
 * SIMD probe nor the kernel module gets through. Cruder than a real engine, but it errs on refusing.
 */
export const WITHOUT_WASM_SIMD = `(() => {
  const W = globalThis.WebAssembly;
  const bytesOf = (source) => ArrayBuffer.isView(source)
    ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
    : new Uint8Array(source);
  const hasSimd = (source) => bytesOf(source).includes(0xfd);
  const validate = W.validate;
  W.validate = (source) => !hasSimd(source) && validate(source);
  const refuse = () => { throw new W.CompileError('SIMD is not supported (simulated)'); };
  const Module = W.Module;
  W.Module = function (source) { if (hasSimd(source)) refuse(); return new Module(source); };
  W.Module.prototype = Module.prototype;
  const compile = W.compile;
  W.compile = async (source) => { if (hasSimd(source)) refuse(); return compile(source); };
  const instantiate = W.instantiate;
  W.instantiate = async (source, imports) => {
    if (!(source instanceof Module) && hasSimd(source)) refuse();
    return instantiate(source, imports);
  };
})();`;

/** Collects uncaught page errors and console errors, so a test can require that there were none. */
export function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  return errors;
}
