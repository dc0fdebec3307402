// Node only: the version in wasm-rnn's package.json, found by walking up from this module (the
// sources sit two folders below it, the built dist/index.js one, dist/chunks/ two).
let cached: string | null = null;

export async function libraryVersion(): Promise<string> {
  if (cached !== null) return cached;
  const { readFile } = await import('node:fs/promises');
  for (let up = new URL('./', import.meta.url); ; up = new URL('../', up)) {
    try {
      const manifest = JSON.parse(await readFile(new URL('package.json', up), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'wasm-rnn' && typeof manifest.version === 'string') return (cached = manifest.version);
    } catch {
      // no package.json here: go up
    }
    if (up.pathname === '/') return (cached = 'unknown');
  }
}
