/**
 * hessian-rank CLI entry: dispatches to the registered commands. Bad input (InputError) prints one
 * line and exits 2; an internal error prints one line and exits 3 (HESSIAN_RANK_DEBUG=1 shows the stack).
 */
import { InputError } from '../errors.js';
import type { CommandIO } from './command.js';
import { commands } from './commands/index.js';

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

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`hessian-rank: unknown command "${name}"; commands: ${commands.map((c) => c.name).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.err(`hessian-rank ${name}: ${error.message}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`hessian-rank ${name}: internal error: ${message.split('\n')[0]}`);
    if (process.env.HESSIAN_RANK_DEBUG) io.err(error instanceof Error ? (error.stack ?? '') : '');
    return 3;
  }
}

export const processIO: CommandIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTTY: Boolean(process.stdout.isTTY),
};
