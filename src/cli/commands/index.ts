/** The command registry: each command is one module; add yours here, one line. */
import type { Command } from '../command.js';
import { compareCommand } from './compare.js';
import { kroneckerCommand } from './kronecker.js';
import { measureCommand } from './measure.js';
import { predictCommand } from './predict.js';
import { verifyCommand } from './verify.js';
import { tableCommand } from './table.js';
import { catalogCommand } from './catalog.js';
import { sweepCommand } from './sweep.js';
import { plotCommand } from './plot.js';
import { deriveCommand } from './derive.js';
import { proveCommand } from './prove.js';
import { trainCommand } from './train.js';

export const commands: Command[] = [
  predictCommand,
  measureCommand,
  compareCommand,
  verifyCommand,
  kroneckerCommand,
  tableCommand,
  catalogCommand,
  sweepCommand,
  plotCommand,
  deriveCommand,
  proveCommand,
  trainCommand,
];

/** Commands folded into another, refused with the spelling that replaces them. */
export const retiredCommands: Record<string, string> = {
  'cnn-sweep':
    'cnn-sweep is now `sweep --vary channels`, which also prints how p and the ranks grow, e.g. ' +
    'hessian-rank sweep --vary channels --values 1:8 --cnn "in=16; conv k=3 c=1; conv k=3 c=1; K=4"',
};
