/**
 * hessian-rank cnn-sweep: the √p law. Sweeps the channels of every convolution of a CNN template and
 * prints p next to the predicted (and, up to --measure-up-to, measured) ranks; then how they grow:
 * p's second differences (constant: quadratic) and the ranks' first differences (constant: linear).
 */
import { describeConvolutional, type Convolutional } from '../../architecture/convolutional.js';
import { activations, losses, quantities, type Activation, type Loss } from '../../family/vocabulary.js';
import { channelSweep, channelTemplates, growth, type ChannelSweepPoint } from '../../cnn/sweep.js';
import { InputError } from '../../errors.js';
import { architectureJson } from '../../serialize.js';
import type { Command } from '../command.js';
import { commonOptions, parseChoice, parseFlags, parseInteger } from '../flags.js';
import { textTable } from '../table.js';

function parseChannels(text: string | undefined): number[] {
  const match = /^(\d+)-(\d+)$/.exec((text ?? '1-8').trim());
  if (!match) throw new InputError(`--channels must be a range like 1-8, got "${text}"`);
  const [lo, hi] = [Number(match[1]), Number(match[2])];
  if (lo < 1 || hi < lo) throw new InputError(`--channels ${text}: need 1 ≤ min ≤ max`);
  if (hi - lo > 200) throw new InputError(`--channels ${text}: at most 200 channel counts at once`);
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

const show = (v: number | null | undefined): string | number => (v === undefined ? '—' : v === null ? 'undetermined' : v);
const unique = (values: number[]): string => [...new Set(values)].join(', ');

export const cnnSweepCommand: Command = {
  name: 'cnn-sweep',
  summary: 'the √p law: p and the Hessian ranks of a CNN as its channels grow (1D or 2D)',
  usage: `usage: hessian-rank cnn-sweep [--dims 1|2 | --cnn TEMPLATE] [--channels 1-8] [--measure-up-to C] [--exact]
                               [--samples N] [--seed S] [--bias] [--loss mse|ce] [--act linear|relu|tanh] [--force] [--json]
  TEMPLATE is the --cnn syntax with c=C where the channel count goes, default
    1D: "${channelTemplates[1]}"
    2D: "${channelTemplates[2]}"
  Predicts ranks for every C (formulas/cnn.json); measures them (float64, or --exact over Z/PZ) for
  C ≤ --measure-up-to. Prints p's second differences (constant: p quadratic in C) and the ranks' first
  differences (constant: rank linear in C), so rank ∝ √p.`,
  run(argv, io) {
    const { values } = parseFlags(argv, {
      ...commonOptions,
      dims: { type: 'string' },
      cnn: { type: 'string' },
      channels: { type: 'string' },
      'measure-up-to': { type: 'string' },
      exact: { type: 'boolean' },
      samples: { type: 'string' },
      seed: { type: 'string' },
      bias: { type: 'boolean' },
      loss: { type: 'string' },
      act: { type: 'string' },
      force: { type: 'boolean' },
    });
    // --cnn here is a template with c=C, not an architecture
    const { cnn: givenTemplate, dims } = values;
    if (dims !== undefined && givenTemplate !== undefined) throw new InputError('give either --dims or --cnn, not both');
    if (dims !== undefined && !['1', '2'].includes(dims)) throw new InputError(`--dims must be 1 or 2, got "${dims}"`);
    const template = givenTemplate ?? channelTemplates[dims === '2' ? 2 : 1];
    const channels = parseChannels(values.channels);
    const points = channelSweep(template, channels, {
      measureUpTo: parseInteger(values['measure-up-to'], '--measure-up-to', 0),
      exact: values.exact,
      seed: parseInteger(values.seed, '--seed') ?? 0,
      samples: parseInteger(values.samples, '--samples', 1),
      bias: values.bias,
      loss: parseChoice<Loss>(values.loss, losses, '--loss'),
      activation: parseChoice<Activation>(values.act, activations, '--act'),
      force: values.force,
    });
    if (values.json) {
      for (const pt of points) io.out(JSON.stringify(pointJson(pt)));
      return 0;
    }
    io.out(`${template}: ${describeConvolutional(points[0]!.architecture as Convolutional).replace(/^[^,]*, /, '')} at C = ${channels[0]}`);
    const measured = points.some((pt) => pt.measured);
    const header = ['C', 'p', 'pred H', 'pred H_O', 'pred H_F', ...(measured ? ['H', 'H_O', 'H_F'] : []), 'H/√p'];
    const rows = points.map((pt) => {
      const h = pt.measured?.H ?? pt.predicted.H;
      return [
        pt.channels,
        pt.p,
        show(pt.predicted.H),
        show(pt.predicted.HO),
        show(pt.predicted.HF),
        ...(measured ? [show(pt.measured?.H), show(pt.measured?.HO), show(pt.measured?.HF)] : []),
        h === undefined ? '—' : (h / Math.sqrt(pt.p)).toFixed(2),
      ];
    });
    io.out(textTable(header, rows));
    if (measured) io.out(`measured: ${points.find((pt) => pt.method)!.method} (seed ${parseInteger(values.seed, '--seed') ?? 0}); r is the rank of the data the network reads`);
    const g = growth(points);
    io.out(`p: second differences ${unique(g.pSecondDifferences)} (constant: p is quadratic in C)`);
    for (const q of quantities) {
      const d = g.rankDifferences[q];
      if (d) io.out(`predicted rank(${q}): first differences ${unique(d)}`);
    }
    if (measured) {
      const measuredPoints = points.filter((pt) => pt.measured);
      const m = growth(measuredPoints, 'measured');
      for (const q of quantities) {
        const d = m.rankDifferences[q];
        if (d && d.length > 0) io.out(`measured rank(${q}): first differences ${unique(d)}`);
      }
    }
    return 0;
  },
};

function pointJson(pt: ChannelSweepPoint) {
  return {
    channels: pt.channels,
    architecture: architectureJson(pt.architecture),
    p: pt.p,
    r: pt.r,
    predicted: { H: pt.predicted.H ?? null, HO: pt.predicted.HO ?? null, HF: pt.predicted.HF ?? null },
    measured: pt.measured ? { H: pt.measured.H, HO: pt.measured.HO, HF: pt.measured.HF, method: pt.method } : null,
  };
}
