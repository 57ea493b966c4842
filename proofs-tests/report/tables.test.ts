/**
 * The rank table holds exactly what predict() and measure() say for the same seed, in every format:
 *   - a record's measured ranks and r are measure(net, {seed}) and its predicted ranks are
 *     predict(net, {dataRank: measured r}) (random small architectures, fast-check);
 *   - CSV: the header, one line per record, fields that parse back to the record's numbers;
 *   - Markdown: a header, a separator and one row per record, all with the same number of cells;
 *   - JSON: {rows: [...]} whose rows carry the same numbers, agreement and rank/p;
 *   - a measurement contradicting an exact formula is flagged (bold / "differs"), never hidden.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConvolutional } from '../../src/architecture/convolutional.js';
import { fullyConnected, type Activation } from '../../src/architecture/fullyConnected.js';
import { predict } from '../../src/catalog/predict.js';
import { measureConvolutional } from '../../src/cnn/measure.js';
import { predictConvolutional } from '../../src/cnn/predict.js';
import { measure } from '../../src/numeric/measure.js';
import { agreement, rankRecord, type RankRecord } from '../../src/report/rankRecord.js';
import { csvHeader, rankTableCsv, rankTableJson, rankTableLatex, rankTableMarkdown } from '../../src/report/rankTable.js';
import { subject, reportQuantities } from '../../src/report/subject.js';

const architecture = fc.record({
  widths: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
  samples: fc.integer({ min: 1, max: 8 }),
  activation: fc.constantFrom<Activation>('linear', 'linear', 'relu', 'tanh'),
  seed: fc.integer({ min: 0, max: 1000 }),
});

/** A CSV line split into fields (RFC 4180 quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') fields.push(field), (field = '');
    else field += ch;
  }
  fields.push(field);
  return fields;
}

describe('a rank record is measure() and predict() at the measured r, for the same seed', () => {
  it('fully-connected networks (random architectures and seeds)', () => {
    fc.assert(
      fc.property(architecture, ({ widths, samples, activation, seed }) => {
        const net = fullyConnected({ widths, samples, activation });
        const record = rankRecord(subject(net), { seed });
        const measured = measure(net, { seed });
        const predicted = predict(net, { dataRank: measured.r });
        expect(record.measured).toEqual(measured.ranks);
        expect(record.r).toBe(measured.r);
        expect(record.p).toBe(predicted.p);
        for (const q of reportQuantities) {
          expect(record.predicted[q]).toBe(predicted.ranks[q] ?? null);
          expect(record.kinds[q]).toBe(predicted.formulas[q]?.kind ?? null);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('CNNs: measureConvolutional() and predictConvolutional() at the measured r, for the same seed', () => {
    for (const text of ['in=7; conv k=3 c=2; K=2', 'in=9; conv k=3 c=2; conv k=2 c=3 s=2; K=3', 'in=4x4 ch=2; conv k=2 c=2 pad=1; K=2']) {
      const net = parseConvolutional(text, { samples: 6 });
      const record = rankRecord(subject(net), { seed: 4 });
      const measured = measureConvolutional(net, { seed: 4 });
      const predicted = predictConvolutional(net, { dataRank: measured.r });
      expect(record.measured, text).toEqual(measured.ranks);
      expect(record.p).toBe(measured.p);
      expect(record.r).toBe(measured.r);
      for (const q of reportQuantities) expect(record.predicted[q], `${text} ${q}`).toBe(predicted.ranks[q] ?? null);
    }
  });

  it('exact measurements agree with float64 ones for a linear network', () => {
    const net = fullyConnected({ widths: [5, 3, 4, 2], samples: 4 });
    const exact = rankRecord(subject(net), { seed: 2, exact: true });
    expect(exact.method).toBe('exact');
    expect(exact.measured).toEqual(measure(net, { seed: 2, exact: true }).ranks);
    expect(exact.measured).toEqual(rankRecord(subject(net), { seed: 2 }).measured);
  });
});

function sampleRecords(): RankRecord[] {
  return [
    rankRecord(subject(fullyConnected({ widths: [4, 3, 3], samples: 6 })), { seed: 1 }),
    rankRecord(subject(fullyConnected({ widths: [4, 3, 3], samples: 6, activation: 'tanh', loss: 'ce' })), { seed: 1 }),
    rankRecord(subject(parseConvolutional('in=6; conv k=2 c=2; K=2', { samples: 5 })), { seed: 1 }),
  ];
}

describe('table formats', () => {
  const records = sampleRecords();

  it('CSV: header, one line per record, numbers that parse back to the record', () => {
    const lines = rankTableCsv(records).trimEnd().split('\n');
    expect(csvFields(lines[0]!)).toEqual(csvHeader);
    expect(lines).toHaveLength(records.length + 1);
    lines.slice(1).forEach((line, i) => {
      const fields = csvFields(line);
      expect(fields).toHaveLength(csvHeader.length);
      const at = (name: string) => fields[csvHeader.indexOf(name)]!;
      const record = records[i]!;
      expect(at('architecture')).toBe(record.label);
      expect(Number(at('p'))).toBe(record.p);
      expect(Number(at('r'))).toBe(record.r);
      for (const q of reportQuantities) {
        expect(Number(at(`${q}_measured`))).toBe(record.measured[q]);
        expect(at(`${q}_predicted`)).toBe(record.predicted[q] === null ? '' : String(record.predicted[q]));
        expect(at(`${q}_agreement`)).toBe(agreement(record, q));
      }
      expect(Number(at('rank_over_p'))).toBeCloseTo(record.measured.H / record.p, 12);
    });
  });

  it('Markdown: header, separator and one row per record, every row with the same number of cells', () => {
    const rows = rankTableMarkdown(records)
      .split('\n')
      .filter((line) => line.startsWith('|'));
    expect(rows).toHaveLength(records.length + 2);
    const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);
    const width = cells(rows[0]!).length;
    for (const row of rows) expect(cells(row)).toHaveLength(width);
    expect(cells(rows[1]!).every((c) => /^:?-{3}:?$/.test(c))).toBe(true);
    records.forEach((record, i) => {
      const row = cells(rows[i + 2]!).map((c) => c.trim());
      expect(row[0]).toBe(record.label);
      expect(row).toContain(String(record.p));
    });
  });

  it('JSON: rows with the records\' numbers, agreement and rank/p', () => {
    const parsed = JSON.parse(rankTableJson(records)) as { rows: (RankRecord & { rankOverP: number; agreement: Record<string, string> })[] };
    expect(parsed.rows).toHaveLength(records.length);
    parsed.rows.forEach((row, i) => {
      const record = records[i]!;
      expect(row.measured).toEqual(record.measured);
      expect(row.predicted).toEqual(record.predicted);
      expect(row.p).toBe(record.p);
      expect(row.rankOverP).toBe(record.measured.H / record.p);
      for (const q of reportQuantities) expect(row.agreement[q]).toBe(agreement(record, q));
    });
  });

  it('LaTeX: a booktabs tabular with one row per record and balanced braces', () => {
    const latex = rankTableLatex(records);
    expect(latex).toMatch(/\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
    const body = latex.slice(latex.indexOf('\\midrule'), latex.indexOf('\\bottomrule'));
    expect(body.split('\n').filter((l) => l.endsWith('\\\\'))).toHaveLength(records.length);
    let depth = 0;
    for (const ch of latex.replace(/\\[{}]/g, '')) {
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('a measurement contradicting an exact formula is flagged in every format', () => {
    const honest = records[0]!;
    expect(honest.kinds.HO).toBe('exact');
    const contradicted: RankRecord = { ...honest, measured: { ...honest.measured, HO: honest.measured.HO + 1 } };
    expect(agreement(contradicted, 'HO')).toBe('differs');
    expect(rankTableLatex([contradicted])).toContain(`\\textbf{${contradicted.measured.HO}}`);
    expect(rankTableMarkdown([contradicted])).toContain(`**${contradicted.measured.HO}**`);
    expect(rankTableCsv([contradicted])).toContain(`${contradicted.measured.HO},differs`);
    // and an honest equal measurement is not flagged
    expect(rankTableLatex([honest])).not.toContain('\\textbf');
  });
});
