import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The file readers load lazily: no module of src/ imports fflate, jsfive or h5wasm statically
 * (type-only imports vanish at build time), so importing wasm-rnn loads none of them. The built
 * bundle is checked the same way in test/browser/keras.test.ts.
 */

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const LAZY_PACKAGES = ['fflate', 'jsfive', 'h5wasm'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('lazy file readers', () => {
  it('no source module imports fflate, jsfive or h5wasm statically', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        if (LAZY_PACKAGES.includes(match[2]!)) offenders.push(`${relative(SRC, file)}: ${match[0].trim()}`);
      }
      for (const match of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) {
        if (LAZY_PACKAGES.includes(match[1]!)) offenders.push(`${relative(SRC, file)}: ${match[0].trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the Keras readers import them with import()', () => {
    expect(readFileSync(join(SRC, 'interop/keras-zip.ts'), 'utf8')).toMatch(/await import\('fflate'\)/);
    expect(readFileSync(join(SRC, 'interop/keras-h5.ts'), 'utf8')).toMatch(/await import\('jsfive'\)/);
  });
});
