// The Markdown summary for CI logs, the summary check, and the reproduction lines.
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { diffResults } from '../../report/diff.ts';
import { loadResults, parseResults, ResultsFileError } from '../../report/load.ts';
import { markdownSummary } from '../../report/markdown.ts';
import { reproduce, shellQuote } from '../../report/reproduce.ts';
import { buildView, checkSummary } from '../../report/view.ts';
import { parseArgs, UsageError } from '../../report/build.ts';
import { fixtureUrl } from '../../servers/recipe.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../report/fixtures/${name}`, import.meta.url));
const NEW = fixture('results.json');
const OLD = fixture('baseline.json');

test('the Markdown summary: engines, versions, agreement, divergences, short', () => {
  const r = loadResults(NEW);
  const md = markdownSummary(r, buildView(r, { source: 'results.json', baseline: { source: 'baseline.json', diff: diffResults(loadResults(OLD), r) } }));
  const lines = md.trimEnd().split('\n');
  expect(lines.length).toBeLessThan(40);
  expect(lines[0]).toBe('## CORS conformance: 32 cases (complete)');
  expect(lines).toContain('| Chromium | 156.0.8078.79 | stock | 31/32 (96.9%) | 31/32 | 1 | 0 | 0 |');
  expect(lines).toContain('| Firefox | 153.7.0 | stock | 31/32 (96.9%) | 31/32 | 1 | 0 | 0 |');
  expect(lines).toContain('| MiniBrowser (WebKitGTK) | 2.50.6 | stock | 30/32 (93.8%) | 31/32 | 1 | 1 | 0 |');
  expect(lines).toContain('**New divergences (1)**');
  expect(lines).toContain('- `basics/custom-headers-sorted` webkit: differs in outcome');
  expect(lines).toContain('- `acah-wildcard-covers-authorization`: 3 results (chromium, firefox, webkit)');
  expect(md).toContain('**Since baseline.json**: 1 case added, 1 removed, 2 changed; 1 engine change.');
});

test('a stored summary that disagrees with the cases is reported, field by field', () => {
  const r = loadResults(NEW);
  expect(checkSummary(r).every((s) => s.mismatches.length === 0)).toBe(true);
  const stored = r.summary?.webkit;
  if (!stored) throw new Error('fixture has no webkit summary');
  stored.agrees = 32;
  const webkit = checkSummary(r).find((s) => s.engine === 'webkit');
  expect(webkit?.mismatches).toEqual(['agrees']);
  expect(webkit?.counted.agrees).toBe(30);
  const md = markdownSummary(r, buildView(r, { source: 'x' }));
  expect(md).toContain('⚠ summary differs from the cases for webkit (agrees)');
  // The table shows what the file stores, not the recount.
  expect(md).toContain('| MiniBrowser (WebKitGTK) | 2.50.6 | stock | 32/32 (100%) | 31/32 | 1 | 1 | 0 |');
});

test('without a stored summary, the counts come from the cases’ stored agreement', () => {
  const r = loadResults(NEW);
  delete r.summary;
  const webkit = checkSummary(r).find((s) => s.engine === 'webkit');
  expect(webkit?.stored).toBeNull();
  expect(webkit?.mismatches).toEqual([]);
  expect(webkit?.counted).toEqual({
    cases: 32,
    agrees: 30,
    expectedDivergences: 1,
    newDivergences: 1,
    unexpectedAgreements: 0,
    errors: 0,
    agreesWithEngines: 31,
  });
  // One more divergence in the cases moves the count, not a stored number.
  const c = r.cases.find((x) => x.id === 'basics/acao-star')?.agreement?.webkit;
  if (!c) throw new Error('fixture lost basics/acao-star');
  c.status = 'new-divergence';
  expect(checkSummary(r).find((s) => s.engine === 'webkit')?.counted).toMatchObject({ agrees: 29, newDivergences: 2 });
});

test('the curl lines go through the proxy and ask for the case’s fixture URL', () => {
  const r = loadResults(NEW);
  const c = r.cases.find((x) => x.id === 'preflight/acah-star-authorization');
  if (!c) throw new Error('fixture lost its Authorization case');
  const url = fixtureUrl(c.request.url, c.response);
  const { curl, fetch } = reproduce(c);
  expect(curl).toEqual([
    `curl -si -x http://127.0.0.1:<proxy-port> -H 'Origin: http://a.test' -X OPTIONS -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: authorization' ${shellQuote(url)}`,
    `curl -si -x http://127.0.0.1:<proxy-port> -H 'Origin: http://a.test' -H 'Authorization: Bearer token' ${shellQuote(url)}`,
  ]);
  expect(fetch).toContain(`const url = ${JSON.stringify(url)};`);
  expect(fetch).toContain('headers: [["Authorization","Bearer token"]],');
  expect(fetch).toContain('credentials: "omit",');
  expect(fetch).toContain('mode: "cors",');
  expect(shellQuote("it's")).toBe(`'it'\\''s'`);
});

test('a file that is not a results file is refused with the field named', () => {
  expect(() => parseResults('{"schema":"other"}', 'x.json')).toThrow(ResultsFileError);
  expect(() => parseResults('{"schema":"other"}', 'x.json')).toThrow(/schema is "other"/);
  expect(() => parseArgs(['--in'])).toThrow(UsageError);
  expect(parseArgs(['--in', 'a.json', '--out', 'o', '--baseline', 'b.json'])).toEqual({ input: 'a.json', out: 'o', baseline: 'b.json' });
});

test('a results file that breaks the schema is refused, naming the field', () => {
  const bad = JSON.stringify({
    schema: 'cors-conformance/results@1',
    tool: { name: 'cors-conformance', version: '1' },
    startedAt: 'x',
    updatedAt: 'x',
    complete: true,
    environment: { platform: 'p', cpus: 1, node: 'v', notes: [] },
    engines: [],
    excludedEngines: [],
    cases: [{ id: 3 }],
  });
  expect(() => parseResults(bad, 'bad.json')).toThrow(/cases\[0\]/);
});
