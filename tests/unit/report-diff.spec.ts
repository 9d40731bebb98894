// `tsx report/diff.ts old new`: what changed by case and by engine, and exit 0.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { diffResults, formatDiff, isEmptyDiff } from '../../report/diff.ts';
import { loadResults } from '../../report/load.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../report/fixtures/${name}`, import.meta.url));
const OLD = fixture('baseline.json');
const NEW = fixture('results.json');
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the diff names engines, added and removed cases, and per-engine changes', () => {
  const d = diffResults(loadResults(OLD), loadResults(NEW));
  expect(d.engines).toEqual([{ engine: 'firefox', field: 'version', from: '152.0.1', to: '153.7.0' }]);
  expect(d.added).toEqual(['preflight/acah-star-authorization']);
  expect(d.removed).toEqual(['basics/acao-exact-trailing-slash']);
  expect(d.changed.map((c) => c.id).sort()).toEqual(['basics/custom-headers-sorted', 'basics/put-allowed']);
  const sorted = d.changed.find((c) => c.id === 'basics/custom-headers-sorted');
  expect(sorted?.engines).toEqual([
    {
      engine: 'webkit',
      changed: ['outcome', 'agreement'],
      from: { outcome: 'allowed', preflight: true, agreement: 'agrees' },
      to: { outcome: 'blocked', preflight: true, agreement: 'new-divergence' },
    },
  ]);
  expect(d.byEngine).toEqual({
    chromium: { outcome: 0, preflight: 1, agreement: 1, added: 0, removed: 0 },
    webkit: { outcome: 1, preflight: 0, agreement: 1, added: 0, removed: 0 },
  });
});

test('a file compared with itself has no changes', () => {
  const d = diffResults(loadResults(NEW), loadResults(NEW));
  expect(isEmptyDiff(d)).toBe(true);
  expect(formatDiff(d)).toContain('No changes.');
});

test('the command prints the changes and exits 0', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'report/diff.ts', OLD, NEW], { cwd: ROOT, encoding: 'utf8' });
  const lines = out.split('\n');
  expect(lines).toContain('  firefox: version 152.0.1 → 153.7.0');
  expect(lines).toContain('Cases: 1 added, 1 removed, 2 changed');
  expect(lines).toContain('  + preflight/acah-star-authorization');
  expect(lines).toContain('  - basics/acao-exact-trailing-slash');
  expect(lines).toContain('  webkit: 1 outcome, 0 preflight, 1 agreement changed; 0 results added, 0 removed');
  expect(lines).toContain('    webkit [outcome, agreement]: allowed, preflight, agrees → blocked, preflight, new-divergence');
  expect(lines).toContain('    chromium [preflight, agreement]: allowed, no preflight, new-divergence → allowed, preflight, agrees');
});
