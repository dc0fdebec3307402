import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBuilt, wasmRnn } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wasm-rnn-cli-'));
beforeAll(checkBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('train → predict on a CSV column', () => {
  // A sine of period 8: the next value follows from the last window, so a trained model must get it.
  const period = 8;
  const value = (t: number) => Math.sin((2 * Math.PI * t) / period);
  const csv = join(dir, 'wave.csv');
  const model = join(dir, 'wave.json');
  writeFileSync(csv, `t,wave\n${Array.from({ length: 120 }, (_, t) => `${t},${value(t).toFixed(6)}`).join('\n')}\n`);

  it('trains, reports and saves the model (exit 0)', () => {
    const { code, stdout, stderr } = wasmRnn(['train', '--csv', csv, '--column', 'wave', '--window', '8', '--units', '16', '--epochs', '60', '--learning-rate', '0.01', '--quiet', '--out', model]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/data: 120 values of 'wave' .* → 112 windows of 8 steps/);
    expect(stdout).toMatch(/trained 60 epochs in [\d.]+ s \([\d,]+ seq\/s on wasm\): loss [\d.]+ · mae [\d.]+ · val_loss/);
    expect(stdout).toContain(`saved ${model}`);
    expect(JSON.parse(readFileSync(model, 'utf8')).scaler.kind).toBe('minMaxScaler');
  });

  it('forecasts the next 3 values of the wave within 0.15 (amplitude 1)', () => {
    const { code, stdout } = wasmRnn(['predict', '--model', model, '--csv', csv, '--column', 'wave', '--steps', '3']);
    expect(code).toBe(0);
    const forecast = stdout.trim().split('\n').map(Number);
    console.log(`cli wave forecast: ${forecast.map((v) => v.toFixed(3)).join(', ')} vs ${[120, 121, 122].map((t) => value(t).toFixed(3)).join(', ')}`);
    expect(forecast).toHaveLength(3);
    forecast.forEach((v, i) => expect(Math.abs(v - value(120 + i))).toBeLessThan(0.15));
  });

  it('takes the series from --values too, and needs a full window', () => {
    const values = Array.from({ length: 8 }, (_, t) => value(t).toFixed(6)).join(',');
    const ok = wasmRnn(['predict', '--model', model, '--values', values]);
    expect(ok.code).toBe(0);
    expect(Math.abs(Number(ok.stdout) - value(8))).toBeLessThan(0.15);
    const short = wasmRnn(['predict', '--model', model, '--values', '0.1,0.2']);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/the model reads windows of 8 values, but the series has 2/);
  });

  it('refuses to generate text with a series model (exit 2)', () => {
    const { code, stderr } = wasmRnn(['generate', '--model', model]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/series model; forecast with 'wasm-rnn predict/);
  });
});

describe('train → predict / generate on a text file', () => {
  const text = join(dir, 'lines.txt');
  const model = join(dir, 'lines.json');
  writeFileSync(text, `${Array.from({ length: 40 }, () => 'hello world\nhelp me\n').join('')}`);

  it('trains a character model and saves it with its tokenizer (exit 0)', () => {
    const { code, stdout } = wasmRnn(['train', '--text', text, '--units', '32', '--epochs', '40', '--quiet', '--out', model]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/data: 80 lines .* → 80 sequences of ≤ 32 characters, vocabulary 14/);
    expect(stdout).toMatch(/validation perplexity [\d.]+/);
    expect(JSON.parse(readFileSync(model, 'utf8')).tokenizer.kind).toBe('charTokenizer');
  });

  it('predicts the next characters after a prefix, most likely first', () => {
    const { code, stdout } = wasmRnn(['predict', '--model', model, '--text', 'hell', '--top', '3']);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(rows).toHaveLength(3);
    expect(rows[0]![0]).toBe('o');
    expect(Number(rows[0]![1])).toBeGreaterThan(0.8);
  });

  it('generates greedily the line it learnt, and samples repeatably with --rng', () => {
    const greedy = wasmRnn(['generate', '--model', model, '--seed', 'hello', '--temperature', '0']);
    expect(greedy.code).toBe(0);
    expect(greedy.stdout).toBe('hello world\n');
    const samples = (rng: string) => wasmRnn(['generate', '--model', model, '--count', '3', '--rng', rng]).stdout;
    expect(samples('7').trim().split('\n')).toHaveLength(3);
    expect(samples('7')).toBe(samples('7'));
  });
});
