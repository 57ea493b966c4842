/**
 * Per-architecture memos. The bounds derive new CNNs from one architecture (the CNN above conv 1, the
 * merged CNN, the same CNN at another data rank) and predict them several times per command; each is a
 * new object, so a memo is keyed by what the value reads, as a string:
 *   layersKey(net)   input shape, c_0 and the layers: what the geometry and the generic ranks of one
 *                    layer read (not K, N, bias, loss or activation).
 * A memo is bounded: beyond its size the oldest entry goes first. Values are never modified after they
 * are stored.
 */
import type { Convolutional } from '../architecture/convolutional.js';

export const layersKey = (net: Convolutional): string => JSON.stringify([net.input, net.inputChannels, net.layers]);

export function boundedMemo<T>(size: number): (key: string, compute: () => T) => T {
  const values = new Map<string, T>();
  return (key, compute) => {
    if (values.has(key)) return values.get(key)!;
    const value = compute();
    if (values.size >= size) values.delete(values.keys().next().value!);
    values.set(key, value);
    return value;
  };
}
