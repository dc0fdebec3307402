import type { Logs } from './callbacks.js';

/** Where progress text goes: a terminal that understands \r, or a line printer. */
export interface ProgressSink {
  /** True when lines can be redrawn in place with \r. */
  readonly inPlace: boolean;
  write(text: string): void;
}

interface NodeProcess {
  stdout?: { isTTY?: boolean; write(text: string): unknown };
  env?: Record<string, string | undefined>;
}

function nodeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

/** fit's default `verbose`: 1 when stdout is a terminal and not CI, else 0. */
export function defaultVerbose(): 0 | 1 {
  const process = nodeProcess();
  return process?.stdout?.isTTY === true && !process.env?.CI ? 1 : 0;
}

/** stdout in Node (redrawn in place on a terminal); console.log elsewhere (one line per epoch). */
export function defaultSink(): ProgressSink {
  const stdout = nodeProcess()?.stdout;
  if (stdout !== undefined) return { inPlace: stdout.isTTY === true, write: (text) => void stdout.write(text) };
  return { inPlace: false, write: (text) => console.log(text.replace(/\n$/, '')) };
}

const BAR_WIDTH = 30;
/** Redraws at most this often, so printing never slows training. */
const REDRAW_MS = 100;

/** A Keras-style progress bar: `12/32 [=======>......] - ETA: 3s - loss: 0.1234 - 512 seq/s`, redrawn with \r. */
export class ProgressBar {
  private epochStart = 0;
  private lastDraw = 0;

  constructor(
    private readonly sink: ProgressSink,
    private readonly epochs: number,
    private readonly steps: number,
  ) {}

  epochBegin(epoch: number): void {
    this.epochStart = now();
    this.lastDraw = 0;
    this.sink.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  /** After batch `step` (0-based) with `samples` sequences done so far this epoch. */
  batch(step: number, samples: number, loss: number): void {
    if (!this.sink.inPlace) return;
    const time = now();
    if (time - this.lastDraw < REDRAW_MS && step + 1 < this.steps) return;
    this.lastDraw = time;
    const elapsed = (time - this.epochStart) / 1000;
    const eta = (elapsed / (step + 1)) * (this.steps - step - 1);
    this.sink.write(`\r${this.bar(step + 1)} - ETA: ${seconds(eta)} - loss: ${format(loss)} - ${rate(samples, elapsed)}`);
  }

  epochEnd(samples: number, logs: Logs): void {
    const elapsed = (now() - this.epochStart) / 1000;
    const values = Object.entries(logs).map(([key, value]) => `${key}: ${format(value)}`).join(' - ');
    this.sink.write(`${this.sink.inPlace ? '\r' : ''}${this.bar(this.steps)} - ${seconds(elapsed)} - ${values} - ${rate(samples, elapsed)}\n`);
  }

  private bar(done: number): string {
    const width = String(this.steps).length;
    const filled = Math.round((BAR_WIDTH * done) / this.steps);
    const head = filled < BAR_WIDTH ? '>' : '';
    const body = '='.repeat(Math.max(0, filled - head.length)) + head;
    return `${String(done).padStart(width)}/${this.steps} [${body.padEnd(BAR_WIDTH, '.')}]`;
  }
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

function format(value: number): string {
  return Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(3);
}

function seconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : s >= 1 ? `${s.toFixed(1)}s` : `${Math.round(s * 1000)}ms`;
}

function rate(samples: number, elapsed: number): string {
  return `${elapsed > 0 ? Math.round(samples / elapsed) : 0} seq/s`;
}
