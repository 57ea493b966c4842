/**
 * Every link from a catalog entry to docs/ (its derivation or source) points at a section that exists: the file is in docs/ and the
 * anchor is the GitHub slug of one of its headings (lower case, punctuation dropped, spaces to
 * hyphens). A renamed heading would otherwise leave the typeset catalog linking to nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(doc: string): Set<string> {
  const headings = readFileSync(doc, 'utf8')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => slug(line.replace(/^#+ /, '')));
  return new Set(headings);
}

describe('catalog derivation links', () => {
  const files = readdirSync('formulas').filter((f) => f.endsWith('.json'));
  for (const file of files) {
    it(`formulas/${file}: every derivation link names an existing heading`, () => {
      const text = readFileSync(`formulas/${file}`, 'utf8');
      const links = [...text.matchAll(/"(docs\/[\w./-]+\.md(?:#[^"]*)?)"/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(0);
      const broken = links.filter((link) => {
        const [doc, anchor] = link.split('#') as [string, string | undefined];
        try {
          return anchor !== undefined && !anchors(doc).has(anchor);
        } catch {
          return true;
        }
      });
      expect(broken, `links to no heading: ${[...new Set(broken)].join(', ')}`).toEqual([]);
    });
  }
});
