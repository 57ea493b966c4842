/**
 * A progress bar for long sweeps, drawn on one terminal line with carriage returns:
 *   [#########...........]  9/20  M = 18, p = 684   41 s elapsed, ~50 s left
 * Only on a TTY: when the stream is a pipe or a file (CI, logs) it writes nothing, since the sweep's
 * log file already records every finished point.
 */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class ProgressBar {
  private readonly started = performance.now();
  private readonly enabled: boolean;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
  ) {
    this.enabled = Boolean(stream.isTTY);
  }

  /** `done` points finished; `label` names the point being measured now. */
  update(done: number, label: string): void {
    if (!this.enabled) return;
    const width = 20;
    const filled = Math.round((width * done) / Math.max(1, this.total));
    const elapsed = (performance.now() - this.started) / 1000;
    const left = done > 0 && done < this.total ? `, ~${Math.round((elapsed / done) * (this.total - done))} s left` : '';
    let line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(String(this.total).length)}/${this.total}  ${label}  ${Math.round(elapsed)} s elapsed${left}`;
    const columns = this.stream.columns ?? 100;
    if (line.length > columns - 1) line = line.slice(0, columns - 1);
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the bar's line. */
  finish(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
