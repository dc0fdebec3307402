import { backend, init, type BackendName } from '../index.js';
import type { OptionReader } from './args.js';

/** The `--backend auto|wasm|js` option every model command takes. */
export const BACKEND_HELP = '  --backend <name>         auto (default: Wasm SIMD where available, else pure TS), wasm or js';

/** Starts the backend chosen by `--backend` and returns the one running. */
export async function startBackend(options: OptionReader): Promise<BackendName> {
  await init({ backend: options.choice('backend', 'auto', ['auto', 'wasm', 'js'] as const) });
  return backend();
}
