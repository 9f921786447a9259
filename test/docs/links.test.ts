// The README stays a front door (at most 200 lines) and every relative link of README.md and docs/*.md reaches a
// file, and a heading of it when the link names one (GitHub's anchor rule: lower case, punctuation dropped,
// spaces to hyphens). Files move while the docs stay: this is what notices.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const withoutCode = (markdown: string): string => markdown.replace(/```[\s\S]*?```/g, '');
const anchorOf = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[`*]/g, '').replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
const anchorsOf = (file: string): Set<string> =>
  new Set([...withoutCode(readFileSync(file, 'utf8')).matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1] as string)));

const brokenLinks = (page: string): string[] => {
  const file = join(root, page);
  return [...withoutCode(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z]+:/.test(target))
    .filter((target) => {
      const [path = '', anchor] = target.split('#');
      const linked = path === '' ? file : normalize(join(dirname(file), path));
      if (!existsSync(linked)) return true;
      return anchor !== undefined && linked.endsWith('.md') && !anchorsOf(linked).has(anchor);
    });
};

describe('README and docs/', () => {
  it('the README has at most 200 lines', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(200);
  });

  it.each(pages)('%s: every relative link reaches its file and heading', (page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  it('anchors follow GitHub: the link to a heading with backticks and punctuation resolves', () => {
    expect(anchorOf("Troubleshooting: the `flink-atlas` CLI")).toBe('troubleshooting-the-flink-atlas-cli');
    expect(anchorOf("Datasets: Atlas's own types, Atlas's own names")).toBe('datasets-atlass-own-types-atlass-own-names');
  });
});
