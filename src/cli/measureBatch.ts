/**
 * measure --batch: each line's measurement (or its error record) as one JSON line, in the order of
 * the file, on both cores. This thread and one worker thread (measureBatchWorker.ts) each take the
 * next unmeasured line from a shared counter and measure it on one thread (oneThreadPerMeasurement),
 * so that the two cores carry two networks at once instead of the two halves of one network, whose
 * small matrices split poorly (docs/benchmarks.md#batch-of-small-architectures).
 * Sequential, each measurement on both cores as before, when fewer than two lines are to be measured,
 * when the machine has one core or HESSIAN_RANK_THREADS=1, when the compiled worker does not exist
 * (under the TypeScript test runner), or when a line's estimated memory is above a quarter of the
 * machine's (two such measurements at once could exhaust it). Should the worker fail, this thread
 * measures the lines it left.
 */
import { totalmem } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { measurementJson } from '../serialize.js';
import { oneThreadPerMeasurement } from '../linalg/index.js';
import { threadsWanted } from '../linalg/threads.js';
import { batchError, batchLines, parseBatchLine, type FieldType } from './batch.js';

/** A batch line and its 1-based number in the file. */
export interface BatchItem {
  line: number;
  text: string;
}

/** One line's output: its measurement's JSON, or {"line": n, "error": "…"}. */
export interface BatchOutput {
  text: string;
  failed: boolean;
}

/** The fields a measure --batch line may add to the architecture's. */
export const measureBatchFields: Record<string, FieldType> = { seed: 'integer', exact: 'boolean' };

type MeasureFields = { seed?: number; exact?: boolean };

/** Measures one line (the size guard applies unless force). */
export function measureLine(item: BatchItem, force: boolean): BatchOutput {
  try {
    const { family, net, fields } = parseBatchLine<MeasureFields>(item.text, measureBatchFields);
    return { text: JSON.stringify(measurementJson(family.measure(net, { seed: fields.seed ?? 0, exact: fields.exact, force }))), failed: false };
  } catch (error) {
    return { text: JSON.stringify({ line: item.line, error: batchError(error) }), failed: true };
  }
}

/** Whether two measurements of this line fit in memory at once (a line that does not parse is cheap). */
function fitsTwice(item: BatchItem): boolean {
  try {
    const { family, net, fields } = parseBatchLine<MeasureFields>(item.text, measureBatchFields);
    return family.cost(net, fields.exact ?? false).bytes <= totalmem() / 4;
  } catch {
    return true;
  }
}

/** What the worker is given: the lines, --force, and the shared counter of the next line to take. */
export interface BatchWorkerData {
  items: BatchItem[];
  force: boolean;
  next: Int32Array;
  port: MessagePort;
}

/** Writes every line's output through `out`, in file order; returns the number of failed lines. */
export async function runMeasureBatch(text: string, force: boolean, out: (line: string) => void): Promise<number> {
  const items = batchLines(text);
  const outputs: (BatchOutput | undefined)[] = new Array(items.length);
  let printed = 0;
  let failures = 0;
  const flush = (): void => {
    for (let output = outputs[printed]; output; output = outputs[++printed]) {
      out(output.text);
      if (output.failed) failures++;
    }
  };
  const parallel = items.length >= 2 && threadsWanted() && import.meta.url.endsWith('.js') && items.every(fitsTwice);
  if (!parallel) {
    items.forEach((item, i) => {
      outputs[i] = measureLine(item, force);
      flush();
    });
    return failures;
  }
  oneThreadPerMeasurement();
  const next = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const data: BatchWorkerData = { items, force, next, port: port2 };
  const worker = new Worker(new URL('./measureBatchWorker.js', import.meta.url), { workerData: data, transferList: [port2] });
  worker.on('error', () => {
    // the worker stopped: its lines are measured here once it has exited (below)
  });
  const receive = (message: { index: number; output: BatchOutput }): void => {
    outputs[message.index] = message.output;
  };
  const drain = (): void => {
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) receive(m.message as { index: number; output: BatchOutput });
  };
  for (let i = Atomics.add(next, 0, 1); i < items.length; i = Atomics.add(next, 0, 1)) {
    outputs[i] = measureLine(items[i]!, force);
    drain();
    flush();
  }
  drain();
  flush();
  if (printed < items.length) {
    await new Promise<void>((resolve) => {
      port1.on('message', (message: { index: number; output: BatchOutput }) => {
        receive(message);
        flush();
        if (printed === items.length) resolve();
      });
      worker.once('exit', () => {
        drain();
        // lines the worker took and did not finish (it failed): measured here
        items.forEach((item, i) => {
          outputs[i] ??= measureLine(item, force);
        });
        flush();
        resolve();
      });
    });
  }
  port1.close();
  worker.unref();
  return failures;
}
