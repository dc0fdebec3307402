import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The ONNX exporter loads lazily: no module of src/ imports protobufjs or an onnx-* module
 * statically except the exporter's own files (type-only imports vanish at build time), so importing
 * wasm-rnn loads neither the encoder nor protobufjs until toOnnx or save(…, { format: 'onnx' }) runs.
 */

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('lazy ONNX export', () => {
  it('only the exporter imports protobufjs and its own modules statically', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const name = relative(SRC, file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        const target = match[1]!;
        const ownFile = name.startsWith('interop/onnx-');
        if (target.startsWith('protobufjs') || (!ownFile && /onnx-[a-z-]+\.js$/.test(target))) offenders.push(`${name}: ${match[0].trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('protobufjs is reached through import()', () => {
    expect(readFileSync(join(SRC, 'interop/onnx-proto.ts'), 'utf8')).toMatch(/await import\('protobufjs\/light\.js'\)/);
  });
});
