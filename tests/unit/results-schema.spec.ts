// The published schema accepts what the tool writes and rejects what it must not.
import { test, expect } from '@playwright/test';
import { BASICS } from '../../cases/basics/cases.ts';
import { evaluate } from '../../oracle/index.ts';
import { foldResults, type JournalLine } from '../../runner/results-store.ts';
import { judge } from '../../runner/verdict.ts';
import { schemaErrors } from '../../model/schemas.ts';
import type { EngineResult } from '../../model/results.ts';

function file(result: EngineResult) {
  const c = BASICS[0];
  if (!c) throw new Error('no basics');
  const spec = evaluate(c);
  const lines: JournalLine[] = [
    { kind: 'engine', info: { id: 'chromium', name: 'Chromium', version: '1', driver: 'd', build: 'stock', executable: '/x' } },
    {
      kind: 'case',
      engine: 'chromium',
      record: { id: c.id, group: c.group, title: c.title, request: c.request, response: c.response, spec },
      result,
      verdict: judge(c, 'chromium', spec, result, []),
    },
  ];
  return foldResults(lines, { startedAt: 'now', complete: true, excludedEngines: ['firefox', 'webkit'], notes: [], divergences: [] });
}

test('a folded file validates', () => {
  expect(schemaErrors('results', file({ outcome: 'blocked', preflight: false, status: null, reason: 'TypeError: Failed to fetch' }))).toEqual([]);
});

test('an unknown outcome, a missing engine version or an extra field is rejected, naming the place', () => {
  const bad = file({ outcome: 'blocked', preflight: false, status: null, reason: null }) as unknown as {
    cases: Array<{ results: { chromium: Record<string, unknown> } }>;
    engines: Array<Record<string, unknown>>;
  };
  const r = bad.cases[0]?.results.chromium;
  if (r) {
    r.outcome = 'maybe';
    r.surprise = 1;
  }
  delete bad.engines[0]?.version;
  const errors = schemaErrors('results', bad);
  expect(errors).toContain('cases[0].results.chromium.outcome: "maybe" must be one of "allowed", "blocked", "error"');
  expect(errors).toContain('engines[0].version: required');
  expect(errors.join('\n')).toContain('cases[0].results.chromium.surprise: unknown field; the fields are outcome, preflight, status');
});

test('verdicts: a difference from the spec is a new divergence unless a known one explains it', () => {
  const f = file({ outcome: 'allowed', preflight: false, status: 200, reason: null });
  expect(f.cases[0]?.spec?.outcome).toBe('blocked');
  expect(f.cases[0]?.agreement?.chromium).toMatchObject({ status: 'new-divergence', differences: ['outcome'], withEngines: null });
  expect(f.summary?.chromium).toMatchObject({ cases: 1, newDivergences: 1, agrees: 0 });
});
