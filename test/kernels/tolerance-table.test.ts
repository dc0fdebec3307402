import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelsMissingNotes, README_PATH, readmeTable, toleranceTable } from '../../scripts/tolerance-table.js';

describe("README's parity-tolerance table", () => {
  it('states every call-dependent tolerance (toleranceNote)', () => {
    const missing = kernelsMissingNotes();
    expect(missing, `call-dependent tolerances without a toleranceNote: ${missing.join(', ')}`).toEqual([]);
  });

  it('equals the table generated from the cases (run `npm run docs:tolerances`)', () => {
    expect(readmeTable(readFileSync(README_PATH, 'utf8'))).toBe(toleranceTable());
  });
});
