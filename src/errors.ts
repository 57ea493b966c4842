/**
 * Errors a user can cause. The CLI prints `message` as one line and exits 2;
 * anything else is a bug and keeps its stack trace.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A request the dense oracle refuses because it would not fit the machine. */
export class TooLargeError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'TooLargeError';
  }
}
