/**
 * A progress line for one long measurement (measure, compare), on one terminal line rewritten with
 * carriage returns:
 *   building H, H_O, H_F (p = 2300)… eigenvalues of H and H_F (2300×2300)… 12 s
 * The measuring code reports each phase as it starts through MeasureOptions.progress (a callback, so
 * the numerics know nothing of terminals); the line shows the phases so far (the latest ones when
 * they no longer fit) and the seconds elapsed, and is cleared at the end. Measurements run
 * synchronously, so the line changes when a phase starts. Only on a TTY: to a pipe or a file (tests,
 * CI, logs) it writes nothing.
 */
import type { ProgressStream } from './progressBar.js';

export class ProgressLine {
  private readonly started = performance.now();
  private readonly enabled: boolean;
  private readonly phases: string[] = [];
  private drawn = false;

  constructor(private readonly stream: ProgressStream) {
    this.enabled = Boolean(stream.isTTY);
  }

  /** The callback to give the measurement: each phase as it starts. */
  readonly report = (phase: string): void => {
    if (!this.enabled) return;
    this.phases.push(phase);
    const elapsed = `${Math.round((performance.now() - this.started) / 1000)} s`;
    const columns = (this.stream.columns || 100) - 1;
    let shown = this.phases.map((p) => `${p}…`);
    // the latest phases that fit beside the time
    while (shown.length > 1 && [...shown, elapsed].join(' ').length > columns) shown = shown.slice(1);
    let line = [...shown, elapsed].join(' ');
    if (line.length > columns) line = line.slice(0, columns);
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  };

  /** Clears the line (call it whether the measurement finished or failed). */
  finish(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
