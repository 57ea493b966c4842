/**
 * A progress line for long measurements (measure, compare, measure --seeds, kronecker), on one
 * terminal line rewritten with carriage returns:
 *   building H, H_O, H_F (p = 2300)… eigenvalues of H and H_F (2300×2300)… 12 s
 * The measuring code reports each phase as it starts through MeasureOptions.progress (a callback, so
 * the numerics know nothing of terminals); the line shows the phases so far (the latest ones when
 * they no longer fit) and the seconds elapsed, and is cleared at the end. Several measurements in a
 * row (measure --seeds) share the one line: `next` starts each under a label, with how many are done
 * and an estimate of the time left,
 *   seed 7 (8 of 20, ~40 s left): eigenvalues of H and H_F (300×300)… 31 s
 * Measurements run synchronously, so the line changes when a phase starts. Only on a TTY: to a pipe
 * or a file (tests, CI, logs) it writes nothing.
 */
import type { ProgressStream } from './progressBar.js';

export class ProgressLine {
  private readonly started = performance.now();
  private readonly enabled: boolean;
  private readonly phases: string[] = [];
  private drawn = false;
  /** what leads the line: the current one of several measurements (next) */
  private label = '';

  constructor(private readonly stream: ProgressStream) {
    this.enabled = Boolean(stream.isTTY);
  }

  /** The callback to give the measurement: each phase as it starts. */
  readonly report = (phase: string): void => {
    if (!this.enabled) return;
    this.phases.push(phase);
    this.draw();
  };

  /**
   * The next of `total` measurements under one line, `done` of them finished: the line shows `label`,
   * the count and the time left (from the mean time of those done so far), and its phases start afresh.
   */
  next(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const elapsed = (performance.now() - this.started) / 1000;
    const left = done > 0 ? `, ~${Math.round((elapsed / done) * (total - done))} s left` : '';
    this.label = `${label} (${done + 1} of ${total}${left}):`;
    this.phases.length = 0;
    this.draw();
  }

  private draw(): void {
    const elapsed = `${Math.round((performance.now() - this.started) / 1000)} s`;
    const columns = (this.stream.columns || 100) - 1;
    const lead = this.label ? [this.label] : [];
    let shown = this.phases.map((p) => `${p}…`);
    // the latest phases that fit beside the label and the time
    while (shown.length > 1 && [...lead, ...shown, elapsed].join(' ').length > columns) shown = shown.slice(1);
    let line = [...lead, ...shown, elapsed].join(' ');
    if (line.length > columns) line = line.slice(0, columns);
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line (call it whether the measurement finished or failed). */
  finish(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
