/**
 * Calibration of the size guard (docs/benchmarks.md#size-guard-calibration): measured time and resident
 * memory growth of dense measurements (ReLU mse networks, float64 and exact) next to the estimate.
 *   npm run build && node --expose-gc dist/bench/sizeGuard.js
 */
import { fullyConnected, parameterCount } from '../src/architecture/fullyConnected.js';
import { estimateCost, measure } from '../src/numeric/measure.js';

const sizes: [number[], number][] = [
  [[5, 10, 10, 5], 4],
  [[10, 20, 15, 5], 10],
  [[20, 20, 20, 5], 10],
  [[20, 30, 30, 5], 10],
  [[30, 30, 40, 5], 10],
];
const gc = (globalThis as { gc?: () => void }).gc;
console.log('widths, N | p | path | measured s | estimate s | estimate/measured | estimate MiB | rss growth MiB');
for (const exact of [false, true]) {
  for (const [widths, samples] of sizes) {
    const net = fullyConnected({ widths, samples, activation: 'relu', loss: 'mse', bias: false });
    const estimate = estimateCost(net, exact);
    gc?.();
    const before = process.memoryUsage().rss;
    const started = performance.now();
    measure(net, { seed: 1, exact, force: true });
    const seconds = (performance.now() - started) / 1000;
    const growth = (process.memoryUsage().rss - before) / 2 ** 20;
    console.log(
      `${widths.join('-')}, ${samples} | ${parameterCount(net)} | ${exact ? 'exact' : 'float64'} | ${seconds.toFixed(2)} | ${estimate.seconds.toFixed(2)} | ` +
        `${(estimate.seconds / seconds).toFixed(2)} | ${(estimate.bytes / 2 ** 20).toFixed(1)} | ${growth.toFixed(0)}`,
    );
  }
}
