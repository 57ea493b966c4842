/**
 * The exact activation pattern of an integer ReLU CNN instance (src/numeric/activationPattern.ts),
 * computed on its Toeplitz-expanded fully-connected network (convolutionalInstance.ts
 * expandedInstance: the same layer maps W̃_l, written out), where each unit reads only the inputs its
 * pattern connects it to: a pre-activation exactly 0 is a kink unless all of those inputs are 0.
 */
import { activationPattern, type ActivationPattern, type Kink } from '../numeric/activationPattern.js';
import { zeros } from '../numeric/matrix.js';
import { expandedInstance, type ConvolutionalInstance } from './convolutionalInstance.js';

export function convolutionalActivationPattern(instance: ConvolutionalInstance): { pattern: ActivationPattern } | { kink: Kink } {
  const { fc } = expandedInstance(instance);
  const connected = instance.patterns.map((pattern) => {
    const m = zeros(pattern.rows, pattern.cols);
    for (let e = 0; e < pattern.row.length; e++) m.data[pattern.row[e]! * pattern.cols + pattern.col[e]!] = 1;
    return m;
  });
  return activationPattern(fc, connected);
}
