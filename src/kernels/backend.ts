import { hasWasmSimd } from './detect.js';
import { createJsRuntime, createWasmRuntime, type BackendName, type Runtime } from './runtime.js';

export type BackendChoice = 'auto' | BackendName;

export interface InitOptions {
  /** 'auto' (default) uses Wasm SIMD where the engine validates it, else pure TS. */
  backend?: BackendChoice;
}

const CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'js'];
const ENV_VARIABLE = 'WASM_RNN_BACKEND';

let current: Runtime | null = null;

/**
 * Picks and starts the compute backend once. Calling it again with the same (or no) choice
 * returns the running backend; asking for a different one after start-up is an error, because
 * models already hold memory of the first. In Node, WASM_RNN_BACKEND overrides `auto`.
 */
export async function init(options: InitOptions = {}): Promise<BackendName> {
  return initSync(options).name;
}

/** The backend in use: 'wasm' or 'js'. Starts the default backend if `init` was not called. */
export function backend(): BackendName {
  return runtime().name;
}

/** The running backend's kernels and arena; starts the default backend on first use. */
export function runtime(): Runtime {
  return current ?? initSync({});
}

function initSync(options: InitOptions): Runtime {
  checkOptions(options);
  const wanted = resolveChoice(options.backend);
  if (current !== null) {
    if (wanted !== 'auto' && wanted !== current.name) {
      throw new Error(`init: backend '${current.name}' is already running; cannot switch to '${wanted}' (call init before creating any model)`);
    }
    return current;
  }
  current = start(wanted);
  return current;
}

function start(choice: BackendChoice): Runtime {
  if (choice === 'js') return createJsRuntime();
  if (!hasWasmSimd()) {
    if (choice === 'wasm') throw new Error("init: backend 'wasm' was requested but this engine has no WebAssembly SIMD; use 'auto' or 'js'");
    return createJsRuntime();
  }
  try {
    return createWasmRuntime();
  } catch (error) {
    if (choice === 'wasm') throw new Error(`init: backend 'wasm' failed to start: ${(error as Error).message}`);
    return createJsRuntime();
  }
}

function resolveChoice(requested: BackendChoice | undefined): BackendChoice {
  const fromEnv = readEnvironment();
  if (requested !== undefined && requested !== 'auto') return requested;
  if (fromEnv === undefined || fromEnv === '') return 'auto';
  if (!(CHOICES as readonly string[]).includes(fromEnv)) {
    throw new Error(`${ENV_VARIABLE}: expected one of ${CHOICES.join(', ')}, got '${fromEnv}'`);
  }
  return fromEnv as BackendChoice;
}

function checkOptions(options: InitOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`init: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (key !== 'backend') throw new TypeError(`init: unknown option '${key}'; expected 'backend'`);
  }
  if (options.backend !== undefined && !CHOICES.includes(options.backend)) {
    throw new TypeError(`init: backend must be one of ${CHOICES.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(options.backend)}`);
  }
}

function readEnvironment(): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env?.[ENV_VARIABLE];
}
