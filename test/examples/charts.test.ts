import { describe, expect, it } from 'vitest';
import { lineChartSvg } from '../../src/project/svg-chart.js';
import { sparklines } from '../../examples/lib/terminal-chart.js';
import { formatTable } from '../../examples/lib/table.js';

describe('lineChartSvg', () => {
  it('draws one path per series with round ticks, an escaped title and legend, and breaks lines at gaps', () => {
    const svg = lineChartSvg([
      { name: 'a < b', x: [0, 1, 2, 3], y: [0, 5, Number.NaN, 9] },
      { name: 'flat', y: [2, 2, 2, 2], dashed: true },
    ], { title: 'Tom & Jerry', xLabel: 'x', yLabel: 'y' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Tom &amp; Jerry');
    expect(svg).toContain('a &lt; b');
    const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    expect(paths[0]!.match(/M/g)).toHaveLength(2); // the NaN splits the first line in two
    expect(svg).toContain('stroke-dasharray');
    for (const tick of ['>0<', '>2<', '>4<', '>6<', '>8<', '>10<']) expect(svg).toContain(tick);
  });

  it('puts a log axis at powers of ten and leaves out values ≤ 0', () => {
    const svg = lineChartSvg([{ name: 'g', y: [1e-6, 1e-3, 0, 1] }], { title: 'log', logY: true });
    for (const tick of ['>1e-6<', '>1e-5<', '>1e-3<', '>1<']) expect(svg).toContain(tick);
    expect(svg.match(/<path d="([^"]*)"/)![1]!.match(/[ML]/g)).toHaveLength(3);
  });

  it('refuses a chart with no finite point', () => {
    expect(() => lineChartSvg([{ name: 'empty', y: [Number.NaN] }], { title: 'nothing' })).toThrow(/no point/);
  });
});

describe('sparklines', () => {
  it('draws rows on one shared scale, averaging long series into the width', () => {
    const [low, high] = sparklines([{ label: 'low', values: [0, 1, 2, 3] }, { label: 'high', values: [4, 5, 6, 7] }]);
    expect(low).toBe('low  ▁▂▃▄ 0…3');
    expect(high).toBe('high ▅▆▇█ 4…7');
    expect(sparklines([{ label: 'n', values: Array.from({ length: 100 }, (_, i) => i) }], { width: 10 })[0]).toBe('n ▁▂▃▃▄▅▆▆▇█ 0…99');
  });

  it('on a log scale, blanks values ≤ 0', () => {
    expect(sparklines([{ label: 'g', values: [1e-4, 1e-2, 0, 1] }], { log: true })[0]).toBe('g ▁▅ █ 0…1');
  });
});

describe('formatTable', () => {
  it('pads columns to their widest cell under a rule', () => {
    expect(formatTable(['name', 'n'], [['a', '10'], ['long name', '2']])).toEqual(['name       n', '─────────  ──', 'a          10', 'long name  2']);
  });
});
