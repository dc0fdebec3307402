import { checkOptionNames, OptionError, positiveInteger, StateError, ValueError } from '../errors.js';
import { hasWasmSimd } from './detect.js';
import { createJsRuntime, createWasmRuntime, type BackendName, type Runtime } from './runtime.js';
import { threadsUnavailableReason } from './threads/support.js';
import type { ThreadedRuntime } from './threads/threaded-runtime.js';

export type BackendChoice = 'auto' | BackendName;

export interface InitOptions {
  /** 'auto' (default) uses Wasm SIMD where the engine validates it, else pure TS. */
  backend?: BackendChoice;
  /**
   * Threads that run the large matrix products (Wasm backend; default 1). With n > 1 the heap is
   * a shared WebAssembly.Memory and n - 1 workers (worker_threads in Node, Web Workers in
   * browsers) each compute a block of rows (or columns) of every product above a size threshold;
   * results are bitwise identical to one thread. Where threads cannot run (no SharedArrayBuffer:
   * a browser page that is not cross-origin isolated; the 'js' backend) init warns once and runs
   * on one thread; `threads()` reports what runs. May be changed by calling init again.
   */
  threads?: number;
  /** With `threads` > 1: throw StateError instead of falling back to one thread. */
  strict?: boolean;
}

const CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'js'];
const ENV_VARIABLE = 'WASM_RNN_BACKEND';
const OPTION_NAMES = ['backend', 'threads', 'strict'];
const MAX_THREADS = 64;

let current: Runtime | null = null;
/** The running runtime when it was started with threads (its memory is shared), else null. */
let threaded: ThreadedRuntime | null = null;
/** Why threads could not start in this environment, once found; later requests fall back the same way. */
let threadsBlocked: string | null = null;
/** The latest init with a `threads` option while it is still running. */
let threadsInit: Promise<void> | null = null;

/**
 * Picks and starts the compute backend once. Calling it again with the same (or no) choice
 * returns the running backend; asking for a different one after start-up is an error, because
 * models already hold memory of the first. In Node, WASM_RNN_BACKEND overrides `auto`.
 * `threads` (see InitOptions) may be changed on a backend started with threads.
 */
export function init(options: InitOptions = {}): Promise<BackendName> {
  // Without threads, init starts the backend before it returns (callers may not await it). An init
  // with threads awaits worker start-up, so any init called meanwhile waits for it: two
  // overlapping calls must not both start workers.
  const result = threadsInit === null ? initNow(options) : threadsInit.then(() => initNow(options));
  if (typeof options === 'object' && options !== null && options.threads !== undefined) {
    const settled = result.then(() => undefined, () => undefined);
    threadsInit = settled;
    void settled.then(() => {
      if (threadsInit === settled) threadsInit = null;
    });
  }
  return result;
}

async function initNow(options: InitOptions): Promise<BackendName> {
  checkOptions(options);
  const wanted = options.threads;
  if (wanted === undefined) return initSync(options).name;
  if (current === null && wanted > 1) {
    const choice = resolveChoice(options.backend);
    threadsBlocked = whyNoThreads(choice);
    if (threadsBlocked === null) {
      try {
        // Loaded on demand: bundles that never start threads do not carry the shared-memory module.
        const { createThreadedRuntime } = await import('./threads/threaded-runtime.js');
        threaded = await createThreadedRuntime(wanted);
        current = threaded;
        return current.name;
      } catch (error) {
        threadsBlocked = (error as Error).message;
      }
    }
    fallBackToOneThread(wanted, options.strict === true);
    return initSync(options).name;
  }
  const running = initSync(options);
  if (threaded !== null) await threaded.setThreads(wanted);
  else if (wanted > 1 && threadsBlocked !== null) fallBackToOneThread(wanted, options.strict === true);
  else if (wanted > 1) {
    throw new StateError(`init: threads: ${wanted} was requested after the '${running.name}' backend started on one thread; its memory is not shared. Call init({ threads: ${wanted} }) before creating any model, or dispose() first`);
  }
  return running.name;
}

/** Threads running the large matrix products: 1 unless `init({ threads })` started more. */
export function threads(): number {
  return threaded?.threads ?? 1;
}

/**
 * Terminates the worker threads and forgets the running backend, so that the next `init` (or
 * first use) starts a new one. Models created before keep working, on one thread.
 */
export async function dispose(): Promise<void> {
  const running = threaded;
  current = null;
  threaded = null;
  threadsBlocked = null;
  await running?.setThreads(1);
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

/** Why this backend choice cannot run threads here, or null if it can. */
function whyNoThreads(choice: BackendChoice): string | null {
  if (choice === 'js') return "the 'js' backend runs on one thread";
  if (!hasWasmSimd()) return 'this engine has no WebAssembly SIMD, so the backend is pure TS';
  return threadsUnavailableReason();
}

function fallBackToOneThread(wanted: number, strict: boolean): void {
  const message = `init: threads: ${wanted} is unavailable here: ${threadsBlocked}`;
  if (strict) throw new StateError(`${message}; without strict: true, init runs on one thread`);
  console.warn(`${message}; running on one thread (threads() === 1)`);
}

function checkOptions(options: InitOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`init: options must be an object, got ${String(options)}`);
  checkOptionNames('init', options, OPTION_NAMES);
  if (options.threads !== undefined) {
    positiveInteger('init', 'threads', options.threads);
    if (options.threads > MAX_THREADS) throw new ValueError(`init: threads must be at most ${MAX_THREADS}, got ${options.threads}`);
  }
  if (options.strict !== undefined && typeof options.strict !== 'boolean') {
    throw new OptionError(`init: strict must be true or false, got ${JSON.stringify(options.strict)}`);
  }
  if (options.backend !== undefined && !CHOICES.includes(options.backend)) {
    throw new TypeError(`init: backend must be one of ${CHOICES.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(options.backend)}`);
  }
}

function readEnvironment(): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env?.[ENV_VARIABLE];
}
