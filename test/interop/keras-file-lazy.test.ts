import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SRC, staticImports } from '../helpers/static-imports.js';

/*
 * The file readers load lazily: no module of src/ imports fflate, jsfive or h5wasm statically
 * (type-only imports vanish at build time), so importing wasm-rnn loads none of them. The built
 * bundle is checked the same way in test/browser/keras.test.ts.
 */

const LAZY_PACKAGES = ['fflate', 'jsfive', 'h5wasm'];

describe('lazy file readers', () => {
  it('no source module imports fflate, jsfive or h5wasm statically', () => {
    const offenders = staticImports().filter((i) => LAZY_PACKAGES.includes(i.specifier)).map((i) => `${i.file}: ${i.statement}`);
    expect(offenders).toEqual([]);
  });

  it('the Keras readers import them with import()', () => {
    expect(readFileSync(join(SRC, 'interop/keras-zip.ts'), 'utf8')).toMatch(/await import\('fflate'\)/);
    expect(readFileSync(join(SRC, 'interop/keras-h5.ts'), 'utf8')).toMatch(/await import\('jsfive'\)/);
  });
});
