// The shell examples and links of the project's Markdown (README.md and docs/), read with a
// real Markdown parser (markdown-it) so a fence inside a list or a quote is found like any other.
//
// The convention the docs follow: every ```bash, ```sh, ```shell or ```console block runs, as
// pasted, in order, in one shell per file — unless the line before it is `<!-- no-run -->`
// (kept for the few that start a server or never end).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import MarkdownIt, { type Token } from 'markdown-it';
import { ROOT } from './cli.ts';

export const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'console']);
const NO_RUN = '<!-- no-run -->';

type Tokens = Token[];

const markdown = new MarkdownIt({ html: true });

export interface ShellBlock {
  /** `README.md:284` — the file and the 1-based line of the opening fence. */
  where: string;
  code: string;
  runs: boolean;
}

/** README.md first, then every .md under docs/, in path order (the order a reader meets them). */
export function documentationFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return walk(path);
        return name.endsWith('.md') ? [relative(ROOT, path)] : [];
      });
  return ['README.md', ...walk(join(ROOT, 'docs'))];
}

function parse(file: string): Tokens {
  return markdown.parse(readFileSync(join(ROOT, file), 'utf8'), {});
}

export function shellBlocks(file: string): ShellBlock[] {
  const tokens = parse(file);
  const blocks: ShellBlock[] = [];
  tokens.forEach((token, n) => {
    if (token.type !== 'fence') return;
    const language = token.info.trim().split(/\s+/)[0] ?? '';
    if (!SHELL_LANGUAGES.has(language)) return;
    const before = tokens[n - 1];
    const skipped = before?.type === 'html_block' && before.content.trim() === NO_RUN;
    blocks.push({ where: `${file}:${(token.map?.[0] ?? 0) + 1}`, code: token.content, runs: !skipped });
  });
  return blocks;
}

/** Each logical command line of a block (backslash continuations joined). */
export function commandLines(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(tokens: Tokens): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  tokens.forEach((token, n) => {
    if (token.type !== 'heading_open') return;
    const text = (tokens[n + 1]?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  });
  return anchors;
}

export interface Link {
  where: string;
  href: string;
}

/** Relative links (files and #anchors) of a file: web addresses are not followed. */
export function relativeLinks(file: string): Link[] {
  const links: Link[] = [];
  const visit = (tokens: Tokens, line: number) => {
    for (const token of tokens) {
      const at = token.map ? token.map[0] + 1 : line;
      const attribute = token.type === 'link_open' ? token.attrGet('href') : token.type === 'image' ? token.attrGet('src') : null;
      const href = attribute === null ? '' : String(attribute);
      if (href && !/^[a-z][a-z0-9+.-]*:/i.test(href)) links.push({ where: `${file}:${at}`, href });
      if (token.children) visit(token.children, at);
    }
  };
  visit(parse(file), 1);
  return links;
}

/** The headings' anchors of a Markdown file (for links with a #fragment). */
export function anchorsOfFile(file: string): Set<string> {
  return anchorsOf(parse(file));
}
