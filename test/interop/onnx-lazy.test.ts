import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SRC, staticImports } from '../helpers/static-imports.js';

/*
 * The ONNX exporter loads lazily: no module of src/ imports protobufjs or an onnx-* module
 * statically except the exporter's own files (type-only imports vanish at build time), so importing
 * wasm-rnn loads neither the encoder nor protobufjs until toOnnx or save(…, { format: 'onnx' }) runs.
 */

describe('lazy ONNX export', () => {
  it('only the exporter imports protobufjs and its own modules statically', () => {
    const offenders = staticImports()
      .filter(({ file, specifier }) => specifier.startsWith('protobufjs') || (!file.startsWith('interop/onnx-') && /onnx-[a-z-]+\.js$/.test(specifier)))
      .map((i) => `${i.file}: ${i.statement}`);
    expect(offenders).toEqual([]);
  });

  it('protobufjs is reached through import()', () => {
    expect(readFileSync(join(SRC, 'interop/onnx-proto.ts'), 'utf8')).toMatch(/await import\('protobufjs\/light\.js'\)/);
  });
});
