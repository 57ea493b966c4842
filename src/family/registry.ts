/**
 * The architecture families, registered once. Every command, report and verify run finds a
 * family here: by the flag that names it (--widths, --cnn), by a batch line's key, or by an
 * architecture's `kind`. A new family is a folder under src/family/ and one line below
 * (docs/families.md).
 */
import { InputError } from '../errors.js';
import type { AnyFamily, Architecture } from './family.js';
import { convolutionalFamily } from './convolutional/family.js';
import { fullyConnectedFamily } from './fullyConnected/family.js';

export const families: readonly AnyFamily[] = [
  fullyConnectedFamily,
  convolutionalFamily,
];

/** The family of an architecture, by its `kind`. */
export function familyOf(net: Architecture): AnyFamily {
  const family = families.find((f) => f.name === net.kind);
  if (!family) throw new InputError(`no architecture family "${String(net.kind)}"; families: ${familyNames()}`);
  return family;
}

export function familyNamed(name: string): AnyFamily {
  const family = families.find((f) => f.name === name);
  if (!family) throw new InputError(`--family must be one of ${familyNames()}, got "${name}"`);
  return family;
}

export function familyNames(): string {
  return families.map((f) => f.name).join(', ');
}

/** "--widths d,M1,...,K or --cnn "…"": how the families are named on the command line. */
export function familyFlags(): string {
  return families.map((f) => `--${f.flag}`).join(' or ');
}
