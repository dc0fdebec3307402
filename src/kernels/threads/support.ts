/**
 * Whether this environment can run kernels on several threads over one shared
 * WebAssembly.Memory, and if not, why: the reason `threads()` falls back to 1.
 */
export function threadsUnavailableReason(): string | null {
  const scope = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean; Worker?: unknown; process?: { versions?: { node?: string } } };
  if (typeof scope.SharedArrayBuffer !== 'function') {
    return 'SharedArrayBuffer is not available (in a browser the page must be cross-origin isolated: serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (scope.crossOriginIsolated === false) {
    return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (typeof Atomics !== 'object' || typeof Atomics.wait !== 'function') return 'Atomics.wait is not available';
  const isNode = typeof scope.process?.versions?.node === 'string';
  if (!isNode && typeof scope.Worker !== 'function') return 'this environment has no Worker';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (error) {
    return `this engine cannot create a shared WebAssembly.Memory (${(error as Error).message})`;
  }
  return null;
}
