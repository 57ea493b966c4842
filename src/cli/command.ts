/**
 * One CLI command: its usage text, and `run`, which returns the exit code (0 success, 1 a refuted
 * claim, 2 bad input). Commands register, with their name and one-line summary, in
 * src/cli/commands/index.ts.
 */
export interface Command {
  usage: string;
  run(argv: string[], io: CommandIO): Promise<number> | number;
}

export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  /** true when stdout is a terminal (progress bars) */
  isTTY: boolean;
}
