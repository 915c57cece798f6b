import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

/** The repository root: `..` from the sources, `../..` from a compiled `dist/scripts/`. */
const ROOT =
  [resolve(__dirname, '..'), resolve(__dirname, '..', '..')].find((dir) => existsSync(join(dir, 'web', 'index.html'))) ??
  resolve(__dirname, '..');
/** The front end's sources. */
export const WEB_SOURCES = join(ROOT, 'web');
/** Where the built front end goes; Express serves this folder. */
export const WEB_OUTPUT = join(ROOT, 'dist', 'web');
/** Written last by a build: what the server and the staleness check look for. */
export const WEB_MANIFEST = 'build.json';
/**
 * The initial route's JavaScript may not exceed this, gzipped. 350 KB until the web
 * data layer: TanStack Query (the cache every list and live update goes through, on
 * My tasks from the first paint) adds ~10 KB gzip, and nothing else grew.
 */
export const INITIAL_JS_LIMIT_BYTES = 362 * 1024;

/** What a build wrote: the entry script, the initial route's files and their gzip size. */
export interface WebBuildResult {
  entry: string;
  initialFiles: string[];
  initialGzipBytes: number;
}

/**
 * Rewrites `import { Button, Table } from 'antd'` in our sources into one import per
 * component (`antd/es/button`), as babel-plugin-import does; the same for icons. esbuild assigns a whole
 * file to a chunk by which entries reach it, and through antd's barrel every page
 * would reach every component: without this, all of antd lands in the first chunk.
 */
const antdPerComponent: esbuild.Plugin = {
  name: 'antd-per-component',
  setup(build) {
    build.onLoad({ filter: /[\\/]web[\\/]src[\\/].*\.tsx?$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(/import\s*\{([^}]*)\}\s*from\s*'antd';/g, (_all, names: string) =>
        names
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith('type '))
          .map((n) => {
            const [name, alias] = n.split(/\s+as\s+/) as [string, string | undefined];
            const folder = name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
            return `import ${alias ?? name} from 'antd/es/${folder}';`;
          })
          .join('\n'),
      );
      const withIcons = contents.replace(/import\s*\{([^}]*)\}\s*from\s*'@ant-design\/icons';/g, (_all, names: string) =>
        names
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
          .map((n) => `import ${n} from '@ant-design/icons/es/icons/${n}';`)
          .join('\n'),
      );
      return { contents: withIcons, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

// Code-splitting ESM: every page is a dynamic import, so a page's code (and the
// admin pages' in particular) loads only when the page is opened.
const options = (): esbuild.BuildOptions => ({
  absWorkingDir: ROOT,
  entryPoints: { main: join(WEB_SOURCES, 'src', 'main.tsx') },
  outdir: join(WEB_OUTPUT, 'assets'),
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  minify: true,
  sourcemap: true,
  metafile: true,
  legalComments: 'none',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  // domain/csv.ts imports csv-stringify's Node build (jest and the API load it);
  // the browser gets the package's own browser build, which brings its Buffer.
  alias: { 'csv-stringify/sync': 'csv-stringify/browser/esm/sync' },
  logLevel: 'warning',
  plugins: [antdPerComponent],
});

/** All files of the front end's sources, recursively. */
function sourceFiles(dir = WEB_SOURCES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Whether the built assets are missing or older than a source file (or the
 * dependency lock file). `npm start` builds when this says so.
 */
export function webBuildIsStale(): boolean {
  const manifest = join(WEB_OUTPUT, WEB_MANIFEST);
  if (!existsSync(manifest)) return true;
  const built = statSync(manifest).mtimeMs;
  // The browser bundles shared plain code too: formats/csv.ts (CSV downloads), domain/ (vocabulary, business time).
  return [
    ...sourceFiles(),
    ...sourceFiles(join(ROOT, 'domain')),
    join(ROOT, 'formats', 'csv.ts'),
    join(ROOT, 'package-lock.json'),
    __filename,
  ].some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}

/** The entry's output and every chunk it imports statically, transitively: what the first page load fetches. */
function initialClosure(metafile: esbuild.Metafile, entryOut: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of metafile.outputs[file]?.imports ?? []) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(entryOut);
  return [...seen];
}

/** The output file that `source` (a path relative to the root) was bundled into as an entry of a dynamic import. */
function chunkOf(metafile: esbuild.Metafile, source: string): string | undefined {
  return Object.entries(metafile.outputs).find(([, o]) => o.entryPoint === source)?.[0];
}

/** Writes `index.html` pointing at the hashed entry, with module preloads for its static imports. */
function writeHtml(metafile: esbuild.Metafile): WebBuildResult {
  const entryOut = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint?.endsWith('web/src/main.tsx'))?.[0];
  if (!entryOut) throw new Error('build-web: no entry output');
  const url = (file: string) => '/' + relative(WEB_OUTPUT, join(ROOT, file)).split('\\').join('/');
  const shell = initialClosure(metafile, entryOut);
  // The first page a signed-in user sees is My tasks: its chunk counts towards the initial route.
  const tasksPage = chunkOf(metafile, 'web/src/pages/tasks/index.tsx');
  const initialFiles = [...new Set([...shell, ...(tasksPage ? initialClosure(metafile, tasksPage) : [])])].filter((f) => f.endsWith('.js'));
  const initialGzipBytes = initialFiles.reduce((sum, f) => sum + gzipSync(readFileSync(join(ROOT, f)), { level: 9 }).length, 0);
  const template = readFileSync(join(WEB_SOURCES, 'index.html'), 'utf8');
  const preloads = shell
    .filter((f) => f !== entryOut && f.endsWith('.js'))
    .map((f) => `<link rel="modulepreload" href="${url(f)}" />`)
    .join('\n    ');
  const html = template
    .replace('<!-- preloads -->', preloads)
    .replace('<!-- entry -->', `<script type="module" src="${url(entryOut)}"></script>`);
  writeFileSync(join(WEB_OUTPUT, 'index.html'), html);
  const result: WebBuildResult = { entry: url(entryOut), initialFiles: initialFiles.map(url), initialGzipBytes };
  const hash = createHash('sha256').update(html).digest('hex').slice(0, 12);
  writeFileSync(join(WEB_OUTPUT, WEB_MANIFEST), JSON.stringify({ ...result, hash, builtAt: new Date().toISOString() }, null, 2));
  return result;
}

/** Builds the front end into `dist/web/`; throws when the initial route is over budget. */
export async function buildWeb(): Promise<WebBuildResult> {
  rmSync(WEB_OUTPUT, { recursive: true, force: true });
  mkdirSync(WEB_OUTPUT, { recursive: true });
  const { metafile } = await esbuild.build(options());
  // Kept for bundle analysis (https://esbuild.github.io/analyze/ reads it).
  writeFileSync(join(WEB_OUTPUT, 'meta.json'), JSON.stringify(metafile));
  const result = writeHtml(metafile!);
  const kb = (result.initialGzipBytes / 1024).toFixed(1);
  console.log(`build-web: initial route ${kb} KB gzip in ${result.initialFiles.length} files (limit ${INITIAL_JS_LIMIT_BYTES / 1024} KB)`);
  if (result.initialGzipBytes > INITIAL_JS_LIMIT_BYTES) {
    throw new Error(`build-web: the initial route is ${kb} KB gzip, over the ${INITIAL_JS_LIMIT_BYTES / 1024} KB budget`);
  }
  return result;
}

/**
 * Stops esbuild's service process. A long-lived process (the API) keeps it; a test
 * file that built the web app stops it when done, so that nothing it started
 * outlives it.
 */
export function stopWebBuilds(): Promise<void> {
  return esbuild.stop();
}

/** Builds when the assets are missing or stale; a no-op otherwise. */
export async function ensureWebBuilt(): Promise<void> {
  if (!webBuildIsStale()) return;
  console.log('build-web: the front end is missing or older than web/; building it');
  await buildWeb();
}

/** Rebuilds on every change of the sources (`npm run web:dev`). */
async function watch(): Promise<void> {
  mkdirSync(WEB_OUTPUT, { recursive: true });
  const ctx = await esbuild.context({
    ...options(),
    minify: false,
    define: { 'process.env.NODE_ENV': '"development"' },
    plugins: [
      antdPerComponent,
      {
        name: 'html',
        setup(build) {
          build.onEnd((result) => {
            if (!result.metafile || result.errors.length) return;
            const { initialGzipBytes } = writeHtml(result.metafile);
            console.log(`web:dev: rebuilt (${(initialGzipBytes / 1024).toFixed(1)} KB gzip unminified) ${new Date().toLocaleTimeString()}`);
          });
        },
      },
    ],
  });
  await ctx.watch();
  console.log(`web:dev: watching ${relative(ROOT, WEB_SOURCES)}/ → ${relative(ROOT, WEB_OUTPUT)}/ (reload the page after a rebuild)`);
}

if (require.main === module) {
  const run = process.argv.includes('--watch') ? watch() : buildWeb().then(() => undefined);
  run.catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
