import { describe, expect, it } from 'vitest';
import { FORMATS, run } from '../../examples/dates.js';

describe('examples/dates', () => {
  it('writes one day in every format', () => {
    const day = new Date(Date.UTC(2021, 2, 14));
    expect(Object.values(FORMATS).map((format) => format(day))).toEqual([
      '14 March 2021', 'March 14, 2021', 'Sunday, March 14th 2021', '14 mar 2021', 'Mar 14 2021', '3/14/21', '14.03.2021', '20210314',
    ]);
  });

  it('short run: the encoder–decoder writes held-out days in ISO form, exact match ≥ 0.5', async () => {
    const result = await run({ trainCount: 4000, testCount: 200, units: 48, epochs: 12, quiet: true });
    console.log(`dates: held-out exact match ${result.exactMatch.toFixed(3)}`);
    expect(result.exactMatch).toBeGreaterThanOrEqual(0.5);
    for (const e of result.examples) expect(e.expected).toMatch(/^\d{4}-\d\d-\d\d$/);
  });
});
