// The report page's data (report/page-data.ts → report/page/data.ts): the compact rows decode,
// on the page's side (report/page/report.ts), to every case's cells as the results file has them.
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { ENGINE_IDS } from '../../model/results.ts';
import { loadResults } from '../../report/load.ts';
import { CHUNK_SIZE, detailChunks, pageData, searchText } from '../../report/page-data.ts';
import { decodeRows } from '../../report/page/report.ts';
import { buildView } from '../../report/view.ts';
import { multiplyResults } from '../../scripts/measure-report-load.ts';

const FIXTURE = fileURLToPath(new URL('../report/fixtures/results.json', import.meta.url));
const results = loadResults(FIXTURE);
const view = buildView(results, { source: 'results.json' });
const FILES = { chunkSize: CHUNK_SIZE, details: [], search: 'search.js' };

test('each decoded row has the case’s id, title, topic, initiator, spec and, per engine, result and verdict', () => {
  const data = pageData(results, view, 'b', FILES);
  expect(data.engines).toEqual(['chromium', 'firefox', 'webkit']);
  const rows = decodeRows(data);
  expect(rows.map((r) => r.id)).toEqual(results.cases.map((c) => c.id));
  results.cases.forEach((c, i) => {
    const row = rows[i];
    expect(row?.index).toBe(i);
    expect(row?.title).toBe(c.title);
    expect(row?.topic).toBe(c.group);
    expect(row?.initiator).toEqual({ label: view.initiatorLabels[i], kind: c.request.initiator?.kind ?? 'fetch' });
    expect(row?.spec).toEqual(
      c.spec ? { outcome: c.spec.outcome, preflight: c.spec.preflight, reason: c.spec.reason, contentReadable: c.spec.contentReadable } : null,
    );
    for (const e of ENGINE_IDS) {
      const r = c.results[e];
      const cell = row?.cells[e];
      if (!r) {
        expect(cell, `${c.id} ${e}`).toBeUndefined();
        continue;
      }
      expect(cell, `${c.id} ${e}`).toEqual({
        outcome: r.outcome,
        preflight: r.preflight,
        ...(r.contentReadable !== undefined ? { contentReadable: r.contentReadable } : {}),
        ...(r.signal ? { signal: r.signal } : {}),
        ...(r.outcome === 'error' && r.reason ? { reason: r.reason } : {}),
        ...(c.agreement?.[e] ? { agreement: c.agreement[e] } : {}),
      });
    }
  });
});

test('the cells are shared between rows, so a run ten times as large has the same tables', () => {
  const small = pageData(results, view, 'b', FILES).table;
  const bigResults = multiplyResults(results, results.cases.length * 10);
  const big = pageData(bigResults, buildView(bigResults, { source: 'x' }), 'b', FILES).table;
  expect(small.cells.length).toBeLessThan(results.cases.length);
  expect(big.rows).toHaveLength(results.cases.length * 10);
  expect(big.cells).toEqual(small.cells);
  expect(big.specs).toEqual(small.specs);
  expect(big.initiators).toEqual(small.initiators);
});

test('the view inline in the page counts each claim’s evidence and leaves the per-case arrays to the files', () => {
  const page = pageData(results, view, 'b', FILES).view;
  expect(page).not.toHaveProperty('reproduce');
  expect(page).not.toHaveProperty('initiatorLabels');
  expect(page.claims.map((c) => [c.id, c.evidenceRows])).toEqual(view.claims.map((c) => [c.id, c.evidence.length]));
  expect(page.claims.every((c) => !('evidence' in c))).toBe(true);
});

test('the detail files hold every case with its reproduction, in order, CHUNK_SIZE to a file', () => {
  const bigResults = multiplyResults(results, 250);
  const bigView = buildView(bigResults, { source: 'x' });
  const chunks = detailChunks(bigResults, bigView);
  expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
  expect(chunks.flat().map((d) => d.record)).toEqual(bigResults.cases);
  expect(chunks.flat().map((d) => d.reproduce)).toEqual(bigView.reproduce);
});

test('the search text has the request and both recipes’ headers, a redirect’s next hop too, lowercase', () => {
  const c = results.cases.find((x) => x.id === 'basics/custom-headers-sorted');
  if (!c) throw new Error('fixture lost basics/custom-headers-sorted');
  const text = searchText(c);
  expect(text.split('\n')).toEqual([
    'get',
    'http://b.test/basics/custom-headers-sorted',
    'http://a.test',
    'x-zeta: 1',
    'x-alpha: 2',
    'access-control-allow-origin: http://a.test',
    'access-control-allow-headers: x-alpha, x-zeta',
    'access-control-allow-origin: http://a.test',
  ]);
  const redirected = structuredClone(c);
  redirected.response.actual = {
    status: 302,
    headers: [['Location', 'x']],
    redirect: { to: 'http://C.test', next: { preflight: null, actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] } } },
  };
  expect(searchText(redirected).split('\n').slice(-3)).toEqual(['location: x', 'http://c.test', 'access-control-allow-origin: *']);
});
