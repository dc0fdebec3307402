import type { Callbacks, Logs } from '../../src/index.js';

/**
 * One progress line for a whole `fit` (the library's own bar, `verbose: 1`, draws one per epoch,
 * which floods the screen when early stopping runs a hundred short epochs):
 *
 *   forecast [██████░░░░░░░░░░░░░░] epoch 61/300 · loss 0.0071 · val_loss 0.0102 · 41,210 seq/s
 *
 * On a terminal it is redrawn in place; elsewhere (pipes, CI logs) only the final line is printed.
 * It also measures the training speed the examples report: training sequences per second of wall
 * time from the start to the end of fit (validation passes included).
 */
export class TrainingProgress {
  readonly callbacks: Callbacks;
  /** Training sequences seen (every epoch). */
  sequences = 0;
  epochsRun = 0;
  seconds = 0;
  private started = 0;
  private lastDraw = 0;
  private lastLogs: Logs = {};

  constructor(
    private readonly label: string,
    private readonly epochs: number,
    print: ((line: string) => void) | null,
  ) {
    const inPlace = print !== null && process.stdout.isTTY === true;
    this.callbacks = {
      onTrainBegin: () => {
        this.started = performance.now();
      },
      onBatchEnd: (_batch, logs) => {
        this.sequences += logs.size;
        if (inPlace && performance.now() - this.lastDraw > 100) this.draw(true);
      },
      onEpochEnd: (epoch, logs) => {
        this.epochsRun = epoch + 1;
        this.lastLogs = logs;
        if (inPlace) this.draw(true);
      },
      onTrainEnd: () => {
        this.seconds = (performance.now() - this.started) / 1000;
        if (print !== null) {
          if (inPlace) process.stdout.write('\r\x1b[K');
          print(this.line(false));
        }
      },
    };
  }

  /** Training sequences per second of wall time. */
  get sequencesPerSecond(): number {
    return this.seconds > 0 ? this.sequences / this.seconds : 0;
  }

  private draw(bar: boolean): void {
    this.lastDraw = performance.now();
    this.seconds = (this.lastDraw - this.started) / 1000;
    process.stdout.write(`\r\x1b[K${this.line(bar)}`);
  }

  private line(bar: boolean): string {
    const width = 20;
    const filled = Math.round((width * this.epochsRun) / this.epochs);
    const head = bar ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ` : '';
    const logs = Object.entries(this.lastLogs).map(([key, value]) => ` · ${key} ${value.toFixed(4)}`).join('');
    const time = bar ? '' : ` · ${this.seconds.toFixed(1)} s`;
    const rate = Math.round(this.sequencesPerSecond).toLocaleString('en-US');
    return `${this.label} ${head}epoch ${this.epochsRun}/${this.epochs}${logs}${time} · ${rate} seq/s`;
  }
}
