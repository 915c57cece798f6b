import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The README is the front door and `docs/` holds the rest: every relative link in
 * them must lead somewhere — to a file or folder of the repository, and, when it
 * names an anchor, to a heading of that file (GitHub's slugs).
 */
const ROOT = resolve(__dirname, '..', '..');
const DOCS = join(ROOT, 'docs');
const FILES = [
  join(ROOT, 'README.md'),
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(DOCS, f)),
];

/** The lines of a markdown file outside fenced code blocks. */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's anchor for a heading's text: lower case, inline markup and punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a file's headings make, `-1`, `-2` … for repeated ones. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    const m = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every link target of a file that is not a URL: `[text](target)`, inline code left out. */
function relativeLinks(file: string): string[] {
  const links: string[] = [];
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    const prose = line.replace(/`[^`]*`/g, '``');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      links.push(target);
    }
  }
  return links;
}

test('the README is a front door: at most about 200 lines', () => {
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(210);
});

test('every relative link in README.md and docs/*.md leads to an existing file, and its anchor to a heading', () => {
  expect(FILES.length).toBeGreaterThan(5);
  const broken: string[] = [];
  let checked = 0;
  for (const file of FILES) {
    for (const link of relativeLinks(file)) {
      checked++;
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      const where = `${relative(ROOT, file)} → ${link}`;
      if (!existsSync(target)) {
        broken.push(`${where}: no such file`);
        continue;
      }
      if (anchor !== undefined && anchor !== '') {
        if (statSync(target).isDirectory() || !target.endsWith('.md')) broken.push(`${where}: an anchor into a file that is not markdown`);
        else if (!anchorsOf(target).has(anchor)) broken.push(`${where}: no heading makes #${anchor}`);
      }
    }
  }
  expect(broken).toEqual([]);
  expect(checked).toBeGreaterThan(50);
});

test('the slugs are GitHub’s', () => {
  expect(slug('What `npm start` does')).toBe('what-npm-start-does');
  expect(slug('TLS, client certificates, API keys (Temporal Cloud)')).toBe('tls-client-certificates-api-keys-temporal-cloud');
  expect(slug("End to end: the product against Temporal's floor")).toBe('end-to-end-the-product-against-temporals-floor');
  expect(slug('Several API processes and workers; a Temporal cluster')).toBe('several-api-processes-and-workers-a-temporal-cluster');
  expect(slug('客户 Customers')).toBe('客户-customers');
});
