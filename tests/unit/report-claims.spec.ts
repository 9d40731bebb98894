// The claims are decided per engine from the rows, never hard-coded: the fixture decides
// them one way, an edited copy the other, and no evidence means "not measured".
import { test, expect } from '@playwright/test';
import { CLAIMS, evaluateClaims, type EvaluatedClaim } from '../../report/claims.ts';
import { loadResults } from '../../report/load.ts';
import type { ResultsFile } from '../../model/results.ts';

const FIXTURE = new URL('../report/fixtures/results.json', import.meta.url).pathname;
const fixture = (): ResultsFile => loadResults(FIXTURE);

function byId(claims: EvaluatedClaim[], id: string): EvaluatedClaim {
  const c = claims.find((x) => x.id === id);
  if (!c) throw new Error(`no claim ${id}`);
  return c;
}

const verdicts = (c: EvaluatedClaim): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(c.engines).map(([e, r]) => [e, r?.verdict]));

const ALL = (v: string) => ({ chromium: v, firefox: v, webkit: v });

const table: Array<{ id: string; verdict: string; deciding?: string }> = [
  { id: 'wildcard-any-site', verdict: 'true' },
  { id: 'credentials-with-wildcard', verdict: 'false', deciding: 'basics/credentials-acao-star' },
  { id: 'only-unsafe-methods-preflight', verdict: 'false', deciding: 'basics/post-json-preflight' },
  { id: 'acao-request-header', verdict: 'false' },
  { id: 'failure-only-in-console', verdict: 'false', deciding: 'basics/acao-absent' },
  { id: 'allowed-reads-all-headers', verdict: 'false', deciding: 'basics/expose-headers' },
  // The engines let Authorization through `*` (the known divergence), so for them it holds.
  { id: 'acah-wildcard-any-header', verdict: 'true', deciding: 'preflight/acah-star-authorization' },
  { id: 'cookies-need-include', verdict: 'true' },
];

for (const row of table) {
  test(`claim ${row.id} is ${row.verdict} in every engine of the fixture`, () => {
    const c = byId(evaluateClaims(fixture()), row.id);
    expect(c.evidence.length).toBeGreaterThan(0);
    expect(verdicts(c)).toEqual(ALL(row.verdict));
    if (row.deciding) for (const r of Object.values(c.engines)) expect(r?.cases).toContain(row.deciding);
  });
}

test('every claim in report/claims.ts is covered by the table above', () => {
  expect(CLAIMS.map((c) => c.id).sort()).toEqual(table.map((r) => r.id).sort());
});

test('the verdict follows each engine’s own rows', () => {
  const r = fixture();
  const c = r.cases.find((x) => x.id === 'basics/credentials-acao-star');
  const chromium = c?.results.chromium;
  if (!chromium) throw new Error('fixture lost basics/credentials-acao-star');
  chromium.outcome = 'allowed';
  chromium.status = 200;
  const claim = byId(evaluateClaims(r), 'credentials-with-wildcard');
  expect(verdicts(claim)).toEqual({ chromium: 'true', firefox: 'false', webkit: 'false' });
});

test('a claim without evidence rows is "not measured", not true or false', () => {
  const r = fixture();
  r.cases = r.cases.filter((c) => c.request.credentials !== 'include');
  const claim = byId(evaluateClaims(r), 'credentials-with-wildcard');
  expect(claim.evidence).toEqual([]);
  expect(verdicts(claim)).toEqual(ALL('not measured'));
});

test('harness errors are not evidence', () => {
  const r = fixture();
  for (const c of r.cases) {
    const x = c.results.firefox;
    if (x) x.outcome = 'error';
  }
  expect(verdicts(byId(evaluateClaims(r), 'wildcard-any-site')).firefox).toBe('not measured');
});
