import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A full garbage collection, for heap measurements: `global.gc` when node runs with --expose-gc,
 * else the flag is switched on here and gc taken from a fresh context (works under vitest).
 */
export function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
