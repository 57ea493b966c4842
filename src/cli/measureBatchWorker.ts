/**
 * The second core of measure --batch (measureBatch.ts): takes the next unmeasured line from the
 * shared counter until none is left, measures it on this thread alone, and posts its output.
 */
import { workerData } from 'node:worker_threads';
import { oneThreadPerMeasurement } from '../linalg/index.js';
import { measureLine, type BatchWorkerData } from './measureBatch.js';

const { items, force, next, port } = workerData as BatchWorkerData;
oneThreadPerMeasurement();
for (let i = Atomics.add(next, 0, 1); i < items.length; i = Atomics.add(next, 0, 1)) port.postMessage({ index: i, output: measureLine(items[i]!, force) });
port.close();
