import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * Idle workers must never keep a process alive: a script that starts threads, trains and ends
 * without calling dispose() exits on its own, with code 0, well within the time bound.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const script = `
import { init, threads, sequential, layers } from './src/index.ts';
await init({ threads: 2 });
if (threads() !== 2) throw new Error('threads() = ' + threads());
const model = sequential([layers.lstm({ units: 64, inputShape: [8, 4] }), layers.dense({ units: 1 })], { seed: 1 });
model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
const x = Array.from({ length: 64 }, (_, i) => Array.from({ length: 8 }, (_, t) => [i % 3, t, 1, -1]));
const y = Array.from({ length: 64 }, (_, i) => [i % 2]);
await model.fit(x, y, { epochs: 1, batchSize: 64 });
console.log('trained on', threads(), 'threads');
`;

describe('process lifetime', () => {
  it('exits normally with workers alive (they are unref-ed)', () => {
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('trained on 2 threads');
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 70_000);
});
