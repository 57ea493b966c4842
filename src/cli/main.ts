/**
 * hessian-rank CLI entry: dispatches to the registered commands. Bad input (InputError) prints one
 * line and exits 2; an internal error prints one line and exits 3 (HESSIAN_RANK_DEBUG=1 shows the stack).
 * No command: the usage on stderr, exit 2; --help: the usage on stdout, exit 0; --version.
 * A command's module is imported when it runs (src/cli/commands/index.ts).
 */
import { InputError } from '../errors.js';
import { readFileSync } from 'node:fs';
import type { CommandIO } from './command.js';
import { commands, retiredCommands } from './commands/index.js';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'hessian-rank: closed forms and measured ranks of neural-network loss Hessians',
    '',
    'usage: hessian-rank <command> [flags]     (hessian-rank <command> --help for its flags)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/** The package's version (package.json, read once). */
export function version(): string {
  // src/cli/main.ts or dist/src/cli/main.js: the first package.json above named hessian-rank
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hessian-rank' && pkg.version) return pkg.version;
    } catch {
      // not there: look further up
    }
  }
  return 'unknown';
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`hessian-rank ${version()}`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command && Object.hasOwn(retiredCommands, name)) {
    io.err(`hessian-rank: ${retiredCommands[name]}`);
    return 2;
  }
  if (!command) {
    io.err(`hessian-rank: unknown command "${name.slice(0, 60)}"; commands: ${commands.map((c) => c.name).join(', ')} (or --help, --version)`);
    return 2;
  }
  try {
    const loaded = await command.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(loaded.usage);
      return 0;
    }
    return await loaded.run(rest, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.err(`hessian-rank ${name}: ${oneLine(error.message)}`);
      return 2;
    }
    if (error instanceof RangeError && /call stack|Invalid array length|Array buffer allocation/i.test(error.message)) {
      io.err(`hessian-rank ${name}: the input is too large to process (${oneLine(error.message)}); give a smaller one`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`hessian-rank ${name}: internal error: ${oneLine(message)}`);
    if (process.env.HESSIAN_RANK_DEBUG) io.err(error instanceof Error ? (error.stack ?? '') : '');
    return 3;
  }
}

/** The first line of a message, at most 500 characters (an echoed input can be long). */
function oneLine(message: string): string {
  const line = message.split('\n')[0]!;
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

export const processIO: CommandIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTTY: Boolean(process.stdout.isTTY),
};
