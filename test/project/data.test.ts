// The data steps without training: time splits over target points, differencing undone exactly,
// and the missing-value policies.
import { describe, expect, it } from 'vitest';
import { actualValues, seriesParts, toSeriesValues, type SeriesSource } from '../../src/project/forecast-data.js';
import { loadData } from '../../src/project/load-data.js';
import { readProjectSettings } from '../../src/project/read-settings.js';
import { tempFolder, writeSeries } from './helpers.js';

const series = (values: number[], difference: boolean, horizon = 1): SeriesSource => ({
  task: 'forecast', values: Float64Array.from(values), trainEnd: 14, validationEnd: 17, horizon, difference, scale: 'standard',
});
const ramp = Array.from({ length: 20 }, (_, t) => 3 * t + 1);

describe('forecast samples', () => {
  it('assign each sample to the part that holds all its targets; windows may reach back', () => {
    const parts = seriesParts(series(ramp, false, 2), 4);
    expect(parts.train.firstTarget).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]); // last targets 12, 13 < 14
    expect(parts.validation.firstTarget).toEqual([14, 15]); // 13 would straddle train and validation
    expect(parts.test.firstTarget).toEqual([17, 18]);
    expect(parts.test.x.shape).toEqual([2, 4, 1]);
  });

  it('scale with statistics of the training targets only', () => {
    const parts = seriesParts(series(ramp, false), 4);
    const training = ramp.slice(0, 14);
    const mean = training.reduce((a, b) => a + b, 0) / training.length;
    expect(parts.scaler!.inverse(Float64Array.of(0))[0]).toBeCloseTo(mean, 10);
  });

  it('with difference: model the changes and sum predictions back onto the last value', () => {
    const source = series(ramp.map((v, t) => v + 5 * Math.sin(t)), true, 2);
    const parts = seriesParts(source, 4);
    expect(parts.train.firstTarget[0]).toBe(5); // a window of 4 changes needs 5 values
    // The scaled changes for the targets, fed back as predictions, give the actual values (to float32 rounding).
    const levels = toSeriesValues(source, parts.test, parts.test.y.data, parts.scaler);
    const actual = actualValues(source, parts.test);
    expect(levels.length).toBe(4);
    levels.forEach((level, i) => expect(level).toBeCloseTo(actual[i]!, 4));
    expect(Array.from(parts.test.y.data)).not.toEqual(Array.from(actual)); // the model sees scaled changes, not values
  });
});

describe('missing values', () => {
  const gappy = [1, 2, 'n/a', 4, ...Array.from({ length: 40 }, (_, i) => i + 5)];
  const load = (missing: string) => {
    const folder = tempFolder();
    const file = writeSeries(folder, gappy);
    const settings = readProjectSettings({ data: { file, window: 4, missing } }, { source: 'p.json', resolvePath: (p) => `${folder}/${p}`, name: 'p', defaultWorkers: 1 });
    return loadData(settings, [4]);
  };

  it('interpolate fills linearly between the neighbours', async () => {
    const { source, summary } = await load('interpolate');
    expect(Array.from((source as SeriesSource).values.slice(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(summary).toContain('1 missing values interpolated');
  });

  it('drop removes the row', async () => {
    const { source, summary } = await load('drop');
    expect((source as SeriesSource).values.length).toBe(gappy.length - 1);
    expect(summary).toContain('1 rows with missing values dropped');
  });
});
