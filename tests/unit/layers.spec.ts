// The layers of docs/ARCHITECTURE.md, enforced: every import of every source file points at
// its own layer or one below it. A file that needs something from above is in the wrong place.
import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** What each library layer may import besides itself, read from docs/ARCHITECTURE.md's table:
 *  the document is the rule, so the two cannot disagree. The entry points (cli, suites,
 *  scripts, adapters, examples, tests, the configs) may import any layer. */
export const LAYERS: Record<string, readonly string[]> = Object.fromEntries(
  readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8')
    .split('\n')
    .map((line) => /^\|\s*`([a-z]+)\/`\s*\|[^|]*\|\s*([^|]*?)\s*\|\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] as string, m[2] === 'nothing' ? [] : (m[2] as string).split(/,\s*/)]),
);
const ENTRY = ['cli', 'kit', 'suites', 'scripts', 'adapters', 'examples', 'tests', 'bin'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function layerOf(file: string): string {
  const rel = relative(ROOT, file);
  return rel.includes('/') ? (rel.split('/')[0] as string) : '(top)';
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function violations(): string[] {
  const out: string[] = [];
  for (const layer of Object.keys(LAYERS)) {
    for (const file of sources(join(ROOT, layer))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2];
        if (!spec?.startsWith('.')) continue;
        const target = layerOf(resolve(dirname(file), spec));
        if (target !== layer && !LAYERS[layer]?.includes(target))
          out.push(`${relative(ROOT, file)} imports ${spec} (layer ${target}, above or beside ${layer})`);
      }
    }
  }
  return out;
}

test('the architecture document lists the layers, each importing only layers it lists', () => {
  expect(Object.keys(LAYERS)).toEqual([
    'model',
    'oracle',
    'frameworks',
    'cases',
    'probe',
    'servers',
    'engines',
    'pipeline',
    'runner',
    'grade',
    'explain',
    'outputs',
    'report',
  ]);
  for (const [layer, below] of Object.entries(LAYERS)) for (const b of below) expect(Object.keys(LAYERS), `${layer} may import ${b}`).toContain(b);
});

test('every library layer imports only itself and the layers below it', () => {
  expect(violations()).toEqual([]);
});

test('every top-level source folder has a place in the layers', () => {
  // dist/ is the package's build output (npm run build), never a source.
  const ignored = new Set(['node_modules', 'reports', 'test-results', 'playwright-report', 'dist']);
  const folders = readdirSync(ROOT).filter(
    (n) => !n.startsWith('.') && !ignored.has(n) && statSync(join(ROOT, n)).isDirectory() && sources(join(ROOT, n)).length > 0,
  );
  const known = new Set([...Object.keys(LAYERS), ...ENTRY]);
  expect(folders.filter((f) => !known.has(f))).toEqual([]);
});
